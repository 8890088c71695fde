import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext } from 'patchright';
import { type BrowserChoice } from './config';

export type ProfileBrowser = Readonly<{
  context: BrowserContext;
  /** `ws://127.0.0.1:<port>/devtools/browser/<id>` — loopback only, never exposed directly. */
  devtoolsUrl: string;
  close: () => Promise<void>;
}>;

const DEVTOOLS_PORT_FILE = 'DevToolsActivePort';

const readDevtoolsUrl = async (userDataDir: string, timeoutMs: number): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await readFile(join(userDataDir, DEVTOOLS_PORT_FILE), 'utf8').catch(() => '');
    const [port, path] = text.trim().split('\n');
    if (port !== undefined && /^\d+$/.test(port) && path?.startsWith('/devtools/browser/'))
      return `ws://127.0.0.1:${port}${path}`;
    if (Date.now() > deadline) throw new Error('the browser did not publish its DevTools endpoint');
    await sleep(50);
  }
};

/**
 * Launches the headed persistent context the bridge owns. Patchright starts the browser (its
 * stealth launch flags stay in force); the extra DevTools port listens on 127.0.0.1 only, on a
 * random port, and is reached exclusively through the bridge's authenticated proxy.
 */
export const launchProfileBrowser = async (
  userDataDir: string,
  choice: BrowserChoice,
): Promise<ProfileBrowser> => {
  // A file left by an earlier run would point at a dead port.
  await rm(join(userDataDir, DEVTOOLS_PORT_FILE), { force: true });
  const context = await chromium.launchPersistentContext(userDataDir, {
    headless: false,
    viewport: null,
    ...(choice.kind === 'channel' ? { channel: choice.channel } : { executablePath: choice.path }),
    args: ['--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0'],
  });
  try {
    const devtoolsUrl = await readDevtoolsUrl(userDataDir, 15_000);
    return { context, devtoolsUrl, close: () => context.close() };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
};
