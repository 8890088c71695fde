import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type HandleCommandResult } from '@bpane/ddd';
import {
  sessionDecider,
  sessionStreamId,
  sessionUpcasters,
  type SessionCommand,
  type SessionEvent,
  type SessionState,
} from '@bpane/domain-sessions';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE } from '../infra/tokens';

/** Runs one session command through the pipeline and waits until the read models include it. */
export class RunSessionCommand {
  constructor(readonly command: SessionCommand) {}
}

export type SessionCommandResult = HandleCommandResult<SessionEvent, SessionState>;

@CommandHandler(RunSessionCommand)
export class RunSessionCommandHandler implements ICommandHandler<RunSessionCommand, SessionCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunSessionCommand): Promise<SessionCommandResult> {
    let result: SessionCommandResult;
    try {
      result = await handleCommand(this.store, {
        streamId: sessionStreamId(command.data.sessionId),
        decider: sessionDecider,
        command,
        upcasters: sessionUpcasters,
      });
    } catch (error) {
      if (
        command.type === 'CreateSession' &&
        command.metadata.idempotencyKey !== undefined &&
        error instanceof BpaneError &&
        error.code === 'conflict'
      )
        throw new BpaneError(
          'idempotency_conflict',
          'this idempotency key was already used for a different request; use a new key',
        );
      throw error;
    }
    if (result.position !== null) await this.ryw.waitFor(result.position);
    return result;
  }
}
