import type { Adapter, AdapterPayload } from 'oidc-provider';

type Entry = { payload: AdapterPayload; expiresAt: number | undefined };

/**
 * The provider's storage for sessions, grants, codes and refresh tokens: in process memory, one
 * store per provider instance. A restart signs everyone out and voids refresh tokens; access tokens
 * are self-contained JWTs and keep verifying, because the signing keys are persisted.
 */
export const createMemoryAdapterFactory = (now: () => number = Date.now) => {
  const stores = new Map<string, Map<string, Entry>>();
  const grants = new Map<string, Set<string>>(); // grantId -> "model:id"
  let writes = 0;

  /** Drops expired entries now and then, so a long-running issuer does not grow without bound. */
  const sweep = (): void => {
    const t = now();
    for (const s of stores.values())
      for (const [id, e] of s) if (e.expiresAt !== undefined && e.expiresAt <= t) s.delete(id);
    for (const [grantId, keys] of grants) {
      for (const key of keys) {
        const i = key.indexOf(':');
        if (!stores.get(key.slice(0, i))?.has(key.slice(i + 1))) keys.delete(key);
      }
      if (keys.size === 0) grants.delete(grantId);
    }
  };

  const storeFor = (model: string): Map<string, Entry> => {
    let s = stores.get(model);
    if (s === undefined) {
      s = new Map();
      stores.set(model, s);
    }
    return s;
  };

  const live = (model: string, id: string): AdapterPayload | undefined => {
    const s = storeFor(model);
    const e = s.get(id);
    if (e === undefined) return undefined;
    if (e.expiresAt !== undefined && e.expiresAt <= now()) {
      s.delete(id);
      return undefined;
    }
    return e.payload;
  };

  const find = (model: string, predicate: (p: AdapterPayload) => boolean): AdapterPayload | undefined => {
    for (const [id, e] of storeFor(model)) {
      if (predicate(e.payload)) return live(model, id);
    }
    return undefined;
  };

  return class MemoryAdapter implements Adapter {
    constructor(readonly model: string) {}

    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (++writes % 256 === 0) sweep();
      storeFor(this.model).set(id, {
        payload: structuredClone(payload),
        expiresAt: expiresIn > 0 ? now() + expiresIn * 1000 : undefined,
      });
      if (typeof payload.grantId === 'string') {
        let set = grants.get(payload.grantId);
        if (set === undefined) grants.set(payload.grantId, (set = new Set()));
        set.add(`${this.model}:${id}`);
      }
      return Promise.resolve();
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      return Promise.resolve(live(this.model, id));
    }

    findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return Promise.resolve(find(this.model, (p) => p.userCode === userCode));
    }

    findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return Promise.resolve(find(this.model, (p) => p.uid === uid));
    }

    consume(id: string): Promise<void> {
      const p = live(this.model, id);
      if (p !== undefined) p.consumed = Math.floor(now() / 1000);
      return Promise.resolve();
    }

    destroy(id: string): Promise<void> {
      storeFor(this.model).delete(id);
      return Promise.resolve();
    }

    revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) {
        const i = key.indexOf(':');
        stores.get(key.slice(0, i))?.delete(key.slice(i + 1));
      }
      grants.delete(grantId);
      return Promise.resolve();
    }
  };
};
