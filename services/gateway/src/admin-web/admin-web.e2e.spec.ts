/**
 * The admin console through the real gateway and the real embedded OpenID provider: the bundle and
 * its configuration are served under /admin/ (with the SPA fallback and the / redirect), and in
 * headless Chromium a user signs in through the issuer's login form, creates a session, sees it
 * listed, stops it and replays its timeline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/gateway-harness';
import { buildAdminWebInto, launchChromium, signIn } from './testing/admin-browser';

describe('the admin console', () => {
  let h: Harness;
  let browser: Browser | undefined;
  const bundleDir = mkdtempSync(join(tmpdir(), 'bpane-admin-web-'));
  const previous = process.env['BPANE_ADMIN_WEB_DIR'];

  beforeAll(async () => {
    buildAdminWebInto(bundleDir);
    process.env['BPANE_ADMIN_WEB_DIR'] = bundleDir;
    h = await startHarness();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (previous === undefined) delete process.env['BPANE_ADMIN_WEB_DIR'];
    else process.env['BPANE_ADMIN_WEB_DIR'] = previous;
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('redirects the web root to /admin/ and serves the page, its assets and the SPA fallback', async () => {
    const root = await fetch(`${h.gateway.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/admin/');

    for (const path of ['/admin/', '/admin', '/admin/sessions', '/admin/timeline?stream=x']) {
      const page = await fetch(`${h.gateway.url}${path}`);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain(
        `connect-src 'self' ws: wss: ${h.idp.issuer}`,
      );
      expect(await page.text()).toContain('/admin/assets/app.js');
    }
    const js = await fetch(`${h.gateway.url}/admin/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    const missing = await fetch(`${h.gateway.url}/admin/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('not_found');
    const escape = await fetch(`${h.gateway.url}/admin/assets/..%2Findex.html`);
    expect(escape.status).toBe(404);
  });

  it('serves the sign-in configuration for the configured issuer', async () => {
    const res = await fetch(`${h.gateway.url}/admin/config.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      issuer: h.idp.issuer.replace(/\/$/, ''),
      client_id: 'bpane-admin',
      scope: 'openid offline_access bpane:api',
      resource: 'urn:bpane-api',
      audience: 'bpane-api',
      api_base: '/api/v1',
    });
  });

  it('signs in through the issuer, creates a session, lists it, stops it and shows its timeline', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (e) => consoleErrors.push(e.message));

    await signIn(page, h.gateway.url, h.idp.issuer);
    await page.getByRole('status').filter({ hasText: 'live updates' }).waitFor();
    expect(await page.locator('.user').textContent()).toBe('demo');

    // The preview shows the exact body.
    await page.getByLabel('Idle timeout (seconds)').fill('300');
    await page.getByLabel('Labels (key=value, one per line)').fill('team=qa');
    const preview = JSON.parse(await page.getByLabel('Payload preview').inputValue()) as unknown;
    expect(preview).toEqual({ idle_timeout_sec: 300, labels: { team: 'qa' } });
    await page.getByRole('button', { name: 'Create session' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Created session' });
    await created.waitFor();
    const id = (await created.locator('code').textContent()) ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const row = page.locator(`tr[data-session-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('team=qa');
    const api = h.client(await h.tokenFor('demo'));
    expect((await api.get<{ labels: Record<string, string> }>(`/api/v1/sessions/${id}`)).body.labels).toEqual(
      {
        team: 'qa',
      },
    );

    // Filters: a label that matches nothing hides the row; clearing it shows it again.
    await page.getByLabel('Label', { exact: true }).fill('team=other');
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Label', { exact: true }).fill('team=qa');
    await row.waitFor();

    await row.getByRole('button', { name: `Stop session ${id.slice(0, 8)}` }).click();
    await row.locator('.badge.state-stopped').waitFor();
    expect((await api.get<{ state: string }>(`/api/v1/sessions/${id}`)).body.state).toBe('stopped');

    // Realtime: a session created through the API elsewhere appears without a reload or polling.
    const other = await api.post<{ id: string }>('/api/v1/sessions', { labels: { team: 'qa', via: 'api' } });
    expect(other.status).toBe(201);
    await page.locator(`tr[data-session-id="${other.body.id}"]`).waitFor();

    await row.getByRole('link', { name: 'Timeline' }).click();
    await page.getByRole('heading', { name: /Timeline of/ }).waitFor();
    const events = page.getByRole('list', { name: 'Events of the stream' });
    await events.getByText('SessionStopped').waitFor();
    const state = page.getByLabel('Aggregate state');
    await expect.poll(async () => (await state.textContent()) ?? '').toContain('stopped');
    // Moving the slider to the first event replays the state as it was then.
    const slider = page.getByRole('slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(async () => (await state.textContent()) ?? '').not.toContain('"stopped"');
    expect(await page.getByText(/after 1 event\(s\)/).count()).toBe(1);

    expect(consoleErrors).toEqual([]);
    expect(h.contractViolations).toEqual([]);
  });
});
