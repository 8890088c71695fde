import { Inject, Injectable } from '@nestjs/common';
import { BpaneError } from '@bpane/errors';
import type { ProjectionPositions } from '@bpane/read-models';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { POSITIONS } from './tokens';

/**
 * Read-your-writes: a write's response is sent only after the read models include the write, so a
 * list right after a create shows it. The wait is bounded; past it the request fails with
 * `read_model_timeout` (503) — the write itself is durable and a retry with the same idempotency
 * key returns it.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(POSITIONS) private readonly positions: ProjectionPositions,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async waitFor(position: bigint): Promise<void> {
    const ok = await this.positions.waitForPosition(position, this.config.readYourWritesTimeoutMs);
    if (!ok) {
      throw new BpaneError(
        'read_model_timeout',
        `the write was stored (position ${position}) but the read models did not include it within ${this.config.readYourWritesTimeoutMs} ms; is the projector running?`,
        { details: { position: position.toString() } },
      );
    }
  }
}
