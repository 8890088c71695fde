import { eventMask, pcall, type PropertyReply, type XConnection, type XEvent } from '../x11/x-connection';

/**
 * Text clipboard both ways through X selections (CLIPBOARD, and PRIMARY on request):
 * - `setText` makes the agent the selection owner (an unmapped window of its own) and answers
 *   SelectionRequest with TARGETS / UTF8_STRING / STRING / TEXT;
 * - when another client (Chromium) takes ownership, XFIXES SelectionNotify fires, the agent asks
 *   for UTF8_STRING and reports the text through `onText`.
 * Both directions are capped at `maxBytes` (UTF-8); INCR transfers are not supported, so larger
 * selections are refused (documented limit).
 */
export class XClipboard {
  private window = 0;
  private atoms: Record<string, number> = {};
  private owned: string | null = null;
  private readonly listeners = new Set<(text: string) => void>();
  private pendingRead: ((text: string | null) => void) | null = null;
  private onEvent = (ev: XEvent): void => this.handle(ev);

  private constructor(
    private readonly x: XConnection,
    readonly maxBytes: number,
  ) {}

  static async open(x: XConnection, maxBytes: number): Promise<XClipboard> {
    const c = new XClipboard(x, maxBytes);
    for (const n of [
      'CLIPBOARD',
      'PRIMARY',
      'TARGETS',
      'UTF8_STRING',
      'STRING',
      'TEXT',
      'BPANE_SEL',
      'ATOM',
      'INCR',
    ])
      c.atoms[n] = await x.atom(n);
    c.window = x.client.AllocID();
    x.client.CreateWindow(c.window, x.root, -10, -10, 1, 1, 0, 0, 0, 0, {
      eventMask: eventMask['PropertyChange']!,
    });
    x.client.on('event', c.onEvent);
    const fixes = await x.fixes();
    fixes.SelectSelectionInput(c.window, c.atoms['CLIPBOARD']!, fixes.SelectionEventMask.SetSelectionOwner);
    await x.sync();
    return c;
  }

  /** Text copied inside the browser. */
  onText(listener: (text: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Offers `text` as the clipboard content (a viewer pasted into the remote browser). */
  async setText(text: string): Promise<void> {
    if (Buffer.byteLength(text) > this.maxBytes)
      throw new Error(`clipboard text exceeds ${this.maxBytes} bytes`);
    this.owned = text;
    this.x.client.SetSelectionOwner(this.window, this.atoms['CLIPBOARD']!, 0);
    this.x.client.SetSelectionOwner(this.window, this.atoms['PRIMARY']!, 0);
    await this.x.sync();
  }

  /** Reads the current CLIPBOARD owner's text (null when none or not text). */
  async readText(timeoutMs = 2000): Promise<string | null> {
    const owner = await pcall<number>((cb) => this.x.client.GetSelectionOwner(this.atoms['CLIPBOARD']!, cb));
    if (owner === 0) return null;
    if (owner === this.window) return this.owned;
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pendingRead = null;
        resolve(null);
      }, timeoutMs);
      this.pendingRead = (t) => {
        clearTimeout(timer);
        resolve(t);
      };
      this.x.client.ConvertSelection(
        this.window,
        this.atoms['CLIPBOARD']!,
        this.atoms['UTF8_STRING']!,
        this.atoms['BPANE_SEL']!,
        0,
      );
    });
  }

  private handle(ev: XEvent): void {
    if (ev.name === 'SelectionNotify' && ev['requestor'] === undefined && ev['owner'] !== undefined) {
      // XFIXES: a new owner of CLIPBOARD
      if (ev['owner'] !== this.window && ev['owner'] !== 0) {
        this.owned = null;
        void this.readText().then((t) => {
          if (t !== null) for (const l of this.listeners) l(t);
        });
      }
      return;
    }
    if (ev.name === 'SelectionNotify' && ev['requestor'] === this.window) {
      const done = this.pendingRead;
      this.pendingRead = null;
      if (!done) return;
      if (ev['property'] === 0) return done(null);
      const maxLongs = Math.ceil(this.maxBytes / 4) + 1;
      this.x.client.GetProperty(
        1,
        this.window,
        this.atoms['BPANE_SEL']!,
        0,
        0,
        maxLongs,
        (err: Error | null, p: PropertyReply) => {
          if (err || p.type === this.atoms['INCR'] || p.bytesAfter > 0) return done(null);
          done(p.data.toString('utf8'));
        },
      );
      return;
    }
    if (ev.name === 'SelectionRequest' && ev['owner'] === this.window) this.answer(ev);
  }

  private answer(ev: XEvent): void {
    const requestor = ev['requestor'] as number;
    const target = ev['target'] as number;
    let property = ev['property'] as number;
    if (property === 0) property = target; // obsolete clients
    const a = this.atoms;
    if (this.owned === null) property = 0;
    else if (target === a['TARGETS']) {
      const list = [a['TARGETS'], a['UTF8_STRING']!, a['STRING']!, a['TEXT']!];
      this.x.client.ChangeProperty(0, requestor, property, a['ATOM']!, 32, list);
    } else if (target === a['UTF8_STRING'] || target === a['TEXT']) {
      this.x.client.ChangeProperty(
        0,
        requestor,
        property,
        a['UTF8_STRING']!,
        8,
        Buffer.from(this.owned, 'utf8'),
      );
    } else if (target === a['STRING']) {
      this.x.client.ChangeProperty(0, requestor, property, a['STRING'], 8, Buffer.from(this.owned, 'latin1'));
    } else property = 0;
    this.x.client.SendEvent(requestor, 0, 0, {
      name: 'SelectionNotify',
      time: ev['time'],
      requestor,
      selection: ev['selection'],
      target,
      property,
    });
  }

  close(): void {
    this.x.client.removeListener('event', this.onEvent);
  }
}
