import { readFileSync } from 'node:fs';
import { renderConfigTable } from '@bpane/config';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSpec, loadGatewayConfig } from './config';

describe('gateway configuration', () => {
  it('is documented in docs/gateway.md exactly as the code declares it', () => {
    const doc = readFileSync('docs/gateway.md', 'utf8');
    const block = /<!-- config:gateway -->\n([\s\S]*?)\n<!-- \/config:gateway -->/.exec(doc)?.[1];
    expect(block).toBe(renderConfigTable(gatewayConfigSpec));
  });

  it('binds to loopback by default and refuses bad values', () => {
    const c = loadGatewayConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(() => loadGatewayConfig({ BPANE_GATEWAY_PORT: 'http', BPANE_EVENT_STORE: 'mysql' })).toThrow(
      /BPANE_GATEWAY_PORT must be an integer[\s\S]*BPANE_EVENT_STORE must be one of/,
    );
  });
});
