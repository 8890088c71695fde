import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type HandleCommandResult } from '@bpane/ddd';
import {
  sessionTemplateDecider,
  sessionTemplateStreamId,
  sessionTemplateUpcasters,
  type SessionTemplateCommand,
  type SessionTemplateEvent,
  type SessionTemplateState,
} from '@bpane/domain-sessions';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE } from '../infra/tokens';

/** Runs one session-template command through the pipeline and waits for the read models. */
export class RunSessionTemplateCommand {
  constructor(readonly command: SessionTemplateCommand) {}
}

export type SessionTemplateCommandResult = HandleCommandResult<SessionTemplateEvent, SessionTemplateState>;

@CommandHandler(RunSessionTemplateCommand)
export class RunSessionTemplateCommandHandler implements ICommandHandler<
  RunSessionTemplateCommand,
  SessionTemplateCommandResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunSessionTemplateCommand): Promise<SessionTemplateCommandResult> {
    let result: SessionTemplateCommandResult;
    try {
      result = await handleCommand(this.store, {
        streamId: sessionTemplateStreamId(command.data.templateId),
        decider: sessionTemplateDecider,
        command,
        upcasters: sessionTemplateUpcasters,
      });
    } catch (error) {
      if (
        command.type === 'CreateSessionTemplate' &&
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
