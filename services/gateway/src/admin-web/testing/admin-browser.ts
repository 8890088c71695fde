import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));

/** Headless Chromium flags for the console's browser tests and screenshots. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the console into `dir` with scripts/build-admin-web.mjs. */
export const buildAdminWebInto = (dir: string): void => {
  const built = spawnSync(process.execPath, [join(repo, 'scripts/build-admin-web.mjs'), dir], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`admin console build failed: ${built.stderr}`);
};

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

/** Opens the gateway's web root and signs in through the issuer's login form. */
export const signIn = async (
  page: Page,
  gatewayUrl: string,
  issuer: string,
  username = 'demo',
  password = 'demo-demo',
): Promise<void> => {
  await page.goto(`${gatewayUrl}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.href.startsWith(`${gatewayUrl}/admin/`) && !u.search.includes('code='));
  await page.getByRole('heading', { name: 'Sessions' }).waitFor();
};
