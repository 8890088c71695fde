import { Inject, Injectable } from '@nestjs/common';
import { loadSecretKey, type SecretKey } from '@bpane/secrets';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/**
 * The data key that seals stored secrets. Loaded on first use (BPANE_SECRET_KEY, else the local key
 * file, generated once with mode 0600), so a gateway that never stores a secret never touches it.
 */
@Injectable()
export class SecretKeyProvider {
  #key: SecretKey | undefined;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  get(): SecretKey {
    this.#key ??= loadSecretKey({ keyBase64: this.config.secretKey, keyFile: this.config.secretKeyFile });
    return this.#key;
  }
}
