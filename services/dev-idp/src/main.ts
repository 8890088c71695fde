/**
 * Entry point of the development OpenID provider: reads `BPANE_DEV_IDP_*` (docs/identity.md),
 * starts the issuer (127.0.0.1:8090 by default) and stops cleanly on SIGINT/SIGTERM.
 */
import { ConfigError } from '@bpane/config';
import { consoleLogger, loadDevIdpConfig, startDevIdp } from '@bpane/dev-idp';

const main = async (): Promise<void> => {
  const config = loadDevIdpConfig(process.env, { logger: consoleLogger });
  const idp = await startDevIdp(config);
  consoleLogger.info(`ready: ${idp.issuer} (sign in as demo / demo-demo)`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info(`${signal}: stopping`);
    void idp.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
};

main().catch((e: unknown) => {
  if (e instanceof ConfigError) consoleLogger.error(e.message);
  else consoleLogger.error(`failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
