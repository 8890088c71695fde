import WebSocket from 'ws';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
export type CdpTarget = { id: string; type: string; url: string; webSocketDebuggerUrl?: string };

/**
 * A minimal Chrome DevTools Protocol client over one WebSocket (the runtime's loopback DevTools
 * port). Used for page-level helpers the X server cannot provide (`Input.insertText` for text the
 * keymap cannot express) and by tests to look inside the page.
 */
export class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(method: string, params: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'),
      ) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: unknown };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(msg.error.message));
        else p.resolve(msg.result);
      } else if (msg.method) {
        for (const l of this.listeners) l(msg.method, msg.params);
      }
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) p.reject(new Error('CDP connection closed'));
      this.pending.clear();
    });
  }

  static async targets(port: number): Promise<CdpTarget[]> {
    const res = await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(3000) });
    return (await res.json()) as CdpTarget[];
  }

  /** Connects to the first page target (waiting for one to appear). */
  static async connectToPage(port: number, timeoutMs = 10_000): Promise<CdpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const page = (await CdpClient.targets(port)).find((t) => t.type === 'page' && t.webSocketDebuggerUrl);
        if (page?.webSocketDebuggerUrl) return await CdpClient.connect(page.webSocketDebuggerUrl);
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) throw new Error(`no page target on DevTools port ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  static async connect(url: string): Promise<CdpClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new CdpClient(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onEvent(listener: (method: string, params: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails)
      throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value as T;
  }

  async navigate(url: string): Promise<void> {
    await this.send('Page.enable');
    const loaded = new Promise<void>((resolve) => {
      const off = this.onEvent((m) => {
        if (m === 'Page.loadEventFired') {
          off();
          resolve();
        }
      });
    });
    await this.send('Page.navigate', { url });
    await Promise.race([loaded, new Promise((r) => setTimeout(r, 10_000))]);
  }

  close(): void {
    this.ws.close();
  }
}
