/**
 * Refreshes docs/screenshots/admin-*.png: starts a throwaway control plane (gateway, embedded
 * issuer, projector, fresh database), adds a little data, signs in as demo in headless Chromium
 * and captures the main views in light and dark colour schemes. Usage: npm run screenshots:admin
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHarness } from '../testing/gateway-harness';
import { buildAdminWebInto, launchChromium, signIn } from './testing/admin-browser';

const out = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
const bundleDir = mkdtempSync(join(tmpdir(), 'bpane-admin-shots-'));
buildAdminWebInto(bundleDir);
process.env['BPANE_ADMIN_WEB_DIR'] = bundleDir;
mkdirSync(out, { recursive: true });

// Webhook targets on loopback: nothing listens there, so the delivery log shows retries.
const h = await startHarness({ BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
const browser = await launchChromium();
try {
  const api = h.client(await h.tokenFor('demo'));
  const project = await api.post<{ id: string }>('/api/v1/projects', {
    name: 'support-tenant',
    description: 'Customer support browsers',
    quotas: { max_active_sessions: 5 },
  });
  await api.post('/api/v1/projects', { name: 'qa-lab' });
  await api.post('/api/v1/service-principals', {
    client_id: 'bpane-automation',
    display_name: 'Nightly automation',
  });
  await api.post('/api/v1/identity-mappings', {
    subject: { kind: 'group', group: 'bpane-admins' },
    project_id: project.body.id,
    role: 'member',
  });
  const hook = await api.post('/api/v1/workflow-event-subscriptions', {
    url: 'http://127.0.0.1:9/browserpane-hooks',
    event_types: ['bpane.session.*'],
    description: 'Ticketing integration',
  });
  if (hook.status !== 201) console.warn(`webhook subscription not created: ${JSON.stringify(hook.body)}`);
  const first = await api.post<{ id: string }>('/api/v1/sessions', {
    project_id: project.body.id,
    labels: { team: 'support', ticket: 'T-1042' },
  });
  await api.post('/api/v1/sessions', { labels: { team: 'qa' }, idle_timeout_sec: 600 });
  const stopped = await api.post<{ id: string }>('/api/v1/sessions', { labels: { team: 'qa' } });
  await api.post(`/api/v1/sessions/${stopped.body.id}/stop`);

  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: scheme });
    const page = await context.newPage();
    await signIn(page, h.gateway.url, h.idp.issuer);
    const shot = async (name: string, path: string, ready: string, then?: () => Promise<void>) => {
      await page.goto(`${h.gateway.url}${path}`);
      await page.getByText(ready).first().waitFor();
      await then?.();
      await page.waitForTimeout(300);
      const file = join(out, `admin-${name}${scheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}`);
    };
    await shot('sessions', '/admin/sessions', 'T-1042');
    if (scheme === 'light') {
      await shot('projects', '/admin/projects', 'support-tenant');
      await shot('identity', '/admin/identity', 'Nightly automation');
      if (hook.status === 201)
        await shot('webhooks', '/admin/webhooks', 'browserpane-hooks', async () => {
          await page.getByRole('button', { name: 'Show delivery log' }).click();
          await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
        });
      await shot('events', '/admin/events', 'SessionStopped');
      await shot('timeline', `/admin/timeline?stream=session-${first.body.id}`, 'State as of position');
    }
    await context.close();
  }
} finally {
  await browser.close();
  await h.close();
  rmSync(bundleDir, { recursive: true, force: true });
}
