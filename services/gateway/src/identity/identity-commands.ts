import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type HandleCommandResult } from '@bpane/ddd';
import {
  identityMappingDecider,
  identityMappingStreamId,
  identityUpcasters,
  servicePrincipalDecider,
  servicePrincipalStreamId,
  type IdentityMappingCommand,
  type IdentityMappingEvent,
  type IdentityMappingState,
  type ServicePrincipalCommand,
  type ServicePrincipalEvent,
  type ServicePrincipalState,
} from '@bpane/domain-identity';
import type { EventStore } from '@bpane/event-store';
import { idempotencyClash } from '../http/idempotency';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE } from '../infra/tokens';

export class RunServicePrincipalCommand {
  constructor(readonly command: ServicePrincipalCommand) {}
}
export class RunIdentityMappingCommand {
  constructor(readonly command: IdentityMappingCommand) {}
}

export type ServicePrincipalResult = HandleCommandResult<ServicePrincipalEvent, ServicePrincipalState>;
export type IdentityMappingResult = HandleCommandResult<IdentityMappingEvent, IdentityMappingState>;

@CommandHandler(RunServicePrincipalCommand)
export class RunServicePrincipalCommandHandler implements ICommandHandler<
  RunServicePrincipalCommand,
  ServicePrincipalResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunServicePrincipalCommand): Promise<ServicePrincipalResult> {
    try {
      const result = await handleCommand(this.store, {
        streamId: servicePrincipalStreamId(command.data.servicePrincipalId),
        decider: servicePrincipalDecider,
        command,
        upcasters: identityUpcasters,
      });
      if (result.position !== null) await this.ryw.waitFor(result.position);
      return result;
    } catch (error) {
      throw idempotencyClash(
        error,
        command.type === 'RegisterServicePrincipal',
        command.metadata.idempotencyKey,
      );
    }
  }
}

@CommandHandler(RunIdentityMappingCommand)
export class RunIdentityMappingCommandHandler implements ICommandHandler<
  RunIdentityMappingCommand,
  IdentityMappingResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunIdentityMappingCommand): Promise<IdentityMappingResult> {
    try {
      const result = await handleCommand(this.store, {
        streamId: identityMappingStreamId(command.data.identityMappingId),
        decider: identityMappingDecider,
        command,
        upcasters: identityUpcasters,
      });
      if (result.position !== null) await this.ryw.waitFor(result.position);
      return result;
    } catch (error) {
      throw idempotencyClash(
        error,
        command.type === 'CreateIdentityMapping',
        command.metadata.idempotencyKey,
      );
    }
  }
}
