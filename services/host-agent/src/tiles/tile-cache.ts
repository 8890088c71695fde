/**
 * The content cache: hashes of tiles the client holds, least recently used evicted first (a Map
 * keeps insertion order; a hit re-inserts). The client keeps a cache of the same capacity and the
 * same policy, driven by the same sequence of `add`/`touch` calls, so both sides agree on what a
 * cache reference names.
 */
export class TileCache {
  private readonly entries = new Map<bigint, true>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** True (and marks it recently used) when the hash is cached. */
  touch(hash: bigint): boolean {
    if (!this.entries.has(hash)) return false;
    this.entries.delete(hash);
    this.entries.set(hash, true);
    return true;
  }

  has(hash: bigint): boolean {
    return this.entries.has(hash);
  }

  /** Adds a hash; returns the hash it evicted, if any. */
  add(hash: bigint): bigint | undefined {
    if (this.capacity <= 0) return undefined;
    if (this.entries.has(hash)) {
      this.touch(hash);
      return undefined;
    }
    this.entries.set(hash, true);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as bigint;
      this.entries.delete(oldest);
      return oldest;
    }
    return undefined;
  }

  delete(hash: bigint): void {
    this.entries.delete(hash);
  }

  clear(): void {
    this.entries.clear();
  }
}
