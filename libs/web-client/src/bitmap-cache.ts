/**
 * The viewer's content cache (SPEC §8 Content cache): decoded tiles by protocol cache id, looked
 * up before anything is decoded. Bounded by entries and by bytes; the least recently used entry
 * goes first (the host is told nothing: a later `cacheRef` to it becomes a `cacheMiss`).
 */
export class BitmapCache<T> {
  readonly #entries = new Map<number, { value: T; bytes: number }>();
  #bytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
    private readonly release: (value: T) => void = () => undefined,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The entry, marked as most recently used; undefined when it is not held. */
  get(id: number): T | undefined {
    const e = this.#entries.get(id);
    if (e === undefined) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, e);
    return e.value;
  }

  has(id: number): boolean {
    return this.#entries.has(id);
  }

  /** Stores `value` under `id` (replacing an older one), then evicts until within bounds. */
  set(id: number, value: T, bytes: number): void {
    this.delete(id);
    this.#entries.set(id, { value, bytes });
    this.#bytes += bytes;
    while (this.#entries.size > this.maxEntries || (this.#bytes > this.maxBytes && this.#entries.size > 1)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(id: number): boolean {
    const e = this.#entries.get(id);
    if (e === undefined) return false;
    this.#entries.delete(id);
    this.#bytes -= e.bytes;
    this.release(e.value);
    return true;
  }

  clear(): void {
    for (const e of this.#entries.values()) this.release(e.value);
    this.#entries.clear();
    this.#bytes = 0;
  }
}
