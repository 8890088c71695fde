import { BpaneError } from '@bpane/errors';

/** Start-up refusals: bad bind, missing browser, unacknowledged daily Chrome. */
export class HostBridgeConfigError extends BpaneError<'host_bridge_config_invalid'> {
  constructor(message: string) {
    super('host_bridge_config_invalid', message);
  }
}

/** A second writer on a profile that another bridge (or BrowserPane process) holds. */
export class ProfileInUseError extends BpaneError<'host_bridge_profile_in_use'> {
  constructor(profileDir: string, pid: number) {
    super(
      'host_bridge_profile_in_use',
      `profile ${profileDir} is already in use by process ${pid}: a Chromium profile has a single writer. ` +
        'Stop that bridge first, or start this one with another --profile name',
      { details: { profileDir, pid } },
    );
  }
}
