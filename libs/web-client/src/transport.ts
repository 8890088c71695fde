import {
  encodePreamble,
  webSocketTransport,
  type CloseInfo,
  type LiveRefusal,
  type LiveTransport,
  type WebSocketLike,
} from '@bpane/live-transport';

/** Opens a live transport to `url`, presenting `ticket` first. WebTransport can be added behind this type. */
export type TransportFactory = (url: string, ticket: string) => Promise<OpenedTransport>;

export type OpenedTransport = Readonly<{
  transport: LiveTransport;
  /** The gateway's typed refusal (a text message before it closes), once it has arrived. */
  refusal: () => LiveRefusal | null;
}>;

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly close: CloseInfo | null,
  ) {
    super(message);
  }
}

const parseRefusal = (text: string): LiveRefusal | null => {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v['op'] === 'error' && typeof v['code'] === 'string')
      return { op: 'error', code: v['code'], message: typeof v['message'] === 'string' ? v['message'] : '' };
  } catch {
    // not a refusal
  }
  return null;
};

/** The browser WebSocket: the preamble goes as the first (text) message, then the binary protocol. */
export const webSocketFactory: TransportFactory = (url, ticket) =>
  new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      reject(new TransportError(e instanceof Error ? e.message : String(e), null));
      return;
    }
    ws.binaryType = 'arraybuffer';
    let refusal: LiveRefusal | null = null;
    const failEarly = (event: CloseEvent): void =>
      reject(
        new TransportError(`the connection closed before it opened (${event.code})`, {
          code: event.code,
          reason: event.reason,
        }),
      );
    ws.addEventListener('close', failEarly);
    ws.addEventListener('open', () => {
      ws.removeEventListener('close', failEarly);
      ws.send(encodePreamble(ticket));
      // the gateway's refusal is a text message right before it closes; anything else is ignored
      const onText = (text: string): void => {
        refusal = parseRefusal(text) ?? refusal;
      };
      resolve({
        transport: webSocketTransport(ws as unknown as WebSocketLike, { onText }),
        refusal: () => refusal,
      });
    });
  });
