import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { EgressProfileSettings, ProbeOutcome } from '@bpane/domain-egress';

export type ProbeResult = { outcome: ProbeOutcome; latencyMs: number | null; detail: string };

/**
 * A real probe through the profile's proxy: opens a connection to the proxy and asks it to
 * CONNECT to `target` (HTTP(S) proxies), or performs a SOCKS5 greeting. Only the sanitized outcome
 * is kept: no target, headers or credentials are recorded.
 */
export const probeProxy = (
  settings: EgressProfileSettings,
  target: { host: string; port: number },
  timeoutMs = 3000,
): Promise<ProbeResult> => {
  if (settings.proxy === null)
    return Promise.resolve({
      outcome: 'no_proxy',
      latencyMs: null,
      detail: 'the profile has no proxy; traffic leaves directly',
    });
  const url = new URL(settings.proxy.url);
  const port = Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const started = performance.now();
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const done = (r: ProbeResult): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    const onConnect = (): void => {
      if (url.protocol === 'socks5:') socket.write(Uint8Array.from([5, 1, 0]));
      else
        socket.write(
          `CONNECT ${target.host}:${target.port} HTTP/1.1\r\nHost: ${target.host}:${target.port}\r\n\r\n`,
        );
    };
    const socket =
      url.protocol === 'https:'
        ? tlsConnect({ host, port, servername: host }, onConnect)
        : connect({ host, port }, onConnect);
    let buf = '';
    socket.setTimeout(timeoutMs, () =>
      done({ outcome: 'unreachable', latencyMs: null, detail: `no answer within ${timeoutMs} ms` }),
    );
    socket.on('error', (e: NodeJS.ErrnoException) =>
      done({
        outcome: 'unreachable',
        latencyMs: null,
        detail: `cannot reach the proxy (${e.code ?? 'error'})`,
      }),
    );
    socket.on('data', (chunk: Buffer) => {
      const latencyMs = Math.round(performance.now() - started);
      if (url.protocol === 'socks5:') {
        const ok = chunk[0] === 5 && chunk[1] === 0;
        done(
          ok
            ? { outcome: 'reachable', latencyMs, detail: 'SOCKS5 proxy accepted an unauthenticated greeting' }
            : {
                outcome: chunk[1] === 0xff ? 'auth_required' : 'rejected',
                latencyMs,
                detail: 'SOCKS5 proxy refused the greeting',
              },
        );
        return;
      }
      buf += chunk.toString('latin1');
      const line = buf.split('\r\n')[0];
      if (line === undefined || !buf.includes('\r\n')) return;
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(line)?.[1] ?? NaN);
      if (status >= 200 && status < 300)
        done({ outcome: 'reachable', latencyMs, detail: `proxy answered ${status} to CONNECT` });
      else if (status === 407)
        done({
          outcome: 'auth_required',
          latencyMs,
          detail:
            settings.proxy?.credentialBindingId === null
              ? 'proxy requires authentication and the profile has no credential binding'
              : 'proxy requires authentication; the credential binding is resolved at runtime launch',
        });
      else
        done({
          outcome: 'rejected',
          latencyMs,
          detail: Number.isNaN(status)
            ? 'the proxy did not answer HTTP'
            : `proxy answered ${status} to CONNECT`,
        });
    });
  });
};
