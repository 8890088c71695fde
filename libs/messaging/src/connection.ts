import { connect, type NatsConnection } from 'nats';
import { MessagingError } from './errors';

export type NatsConnectOptions = Readonly<{
  url: string;
  /** Connection name shown by the NATS server (`nats server report connections`). */
  name: string;
  /** How long the first connect may take before it fails (ms). */
  timeoutMs?: number;
}>;

/**
 * Connects to NATS and keeps reconnecting forever after a successful first connect (a restarted
 * NATS server is a normal event; publishers and consumers resume on their own).
 */
export const connectNats = async (options: NatsConnectOptions): Promise<NatsConnection> => {
  try {
    return await connect({
      servers: options.url.split(',').map((s) => s.trim()),
      name: options.name,
      timeout: options.timeoutMs ?? 5_000,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      waitOnFirstConnect: false,
    });
  } catch (cause) {
    throw new MessagingError('nats_unavailable', `cannot connect to NATS at ${options.url}`, { cause });
  }
};
