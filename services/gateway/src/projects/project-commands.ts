import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type HandleCommandResult } from '@bpane/ddd';
import {
  projectDecider,
  projectStreamId,
  projectUpcasters,
  type ProjectCommand,
  type ProjectEvent,
  type ProjectState,
} from '@bpane/domain-projects';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import { EVENT_STORE } from '../infra/tokens';
import { ReadYourWrites } from '../infra/read-your-writes';

/** Runs one project command through the pipeline and waits until the read models include it. */
export class RunProjectCommand {
  constructor(readonly command: ProjectCommand) {}
}

export type ProjectCommandResult = HandleCommandResult<ProjectEvent, ProjectState>;

@CommandHandler(RunProjectCommand)
export class RunProjectCommandHandler implements ICommandHandler<RunProjectCommand, ProjectCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunProjectCommand): Promise<ProjectCommandResult> {
    let result: ProjectCommandResult;
    try {
      result = await handleCommand(this.store, {
        streamId: projectStreamId(command.data.projectId),
        decider: projectDecider,
        command,
        upcasters: projectUpcasters,
      });
    } catch (error) {
      // A create whose derived id is taken by a different request with the same idempotency key.
      if (
        command.type === 'CreateProject' &&
        command.metadata.idempotencyKey !== undefined &&
        error instanceof BpaneError &&
        error.code === 'conflict'
      ) {
        throw new BpaneError(
          'idempotency_conflict',
          'this idempotency key was already used for a different request; use a new key',
        );
      }
      throw error;
    }
    if (result.position !== null) await this.ryw.waitFor(result.position);
    return result;
  }
}
