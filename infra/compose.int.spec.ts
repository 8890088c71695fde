import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type ComposeFile = {
  services: Record<
    string,
    { image?: string; ports?: string[]; build?: { dockerfile?: string; args?: Record<string, string> } }
  >;
};

/** `docker compose` (v2 plugin) when present, otherwise the standalone `docker-compose`. */
const composeCommand = (): string[] => {
  const v2 = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  return v2.status === 0 ? ['docker', 'compose'] : ['docker-compose'];
};

describe('docker-compose.yml', () => {
  const [cmd, ...pre] = composeCommand();
  const rendered = execFileSync(cmd!, [...pre, '-f', 'docker-compose.yml', 'config'], { encoding: 'utf8' });
  const compose = parse(rendered) as ComposeFile;

  it('is accepted by docker compose config', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['eventstoredb', 'postgres', 'nats', 'redis', 'keycloak', 'projector']),
    );
  });

  it('publishes every port on loopback only', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const port of svc.ports ?? []) {
        expect(String(port), `${name} port ${String(port)}`).toMatch(/^127\.0\.0\.1:/);
      }
    }
  });

  it('builds only services that exist, from Dockerfiles that exist', () => {
    for (const svc of Object.values(compose.services)) {
      if (!svc.build) continue;
      expect(existsSync(svc.build.dockerfile ?? 'Dockerfile')).toBe(true);
      const service = svc.build.args?.['SERVICE'];
      if (service !== undefined) expect(existsSync(`services/${service}/src/main.ts`), service).toBe(true);
    }
  });
});
