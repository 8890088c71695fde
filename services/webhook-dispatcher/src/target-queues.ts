import { createHash } from 'node:crypto';
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';

export type DeliveryJobData = Readonly<{ deliveryId: string; target: string }>;

/** Thrown by the processor to schedule the next attempt after `delayMs`. */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

export type TargetQueuesOptions = Readonly<{
  redisUrl: string;
  prefix: string;
  concurrencyPerTarget: number;
  discoveryIntervalMs: number;
  maxAttempts: number;
  process: (job: Job<DeliveryJobData>) => Promise<void>;
  /** Delay after an unexpected processor error (database down, key mismatch): the schedule's. */
  fallbackDelayMs: (attemptsMade: number) => number;
  onError: (message: string, error: unknown) => void;
}>;

/** `scheme://host:port` of a URL: deliveries are isolated per target. */
export const targetOf = (url: string): string => {
  const u = new URL(url);
  const port = u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80';
  return `${u.protocol}//${u.hostname}:${port}`;
};

export const queueNameOf = (target: string): string =>
  `webhooks-${createHash('sha256').update(target).digest('hex').slice(0, 20)}`;

/**
 * One BullMQ queue per target, each with its own worker and concurrency limit: a receiver that is
 * slow or down only occupies its own queue, never the deliveries to anyone else. The set of target
 * queues lives in Redis so every dispatcher instance (and a restarted one) runs workers for all of
 * them; queue state (waiting, delayed retries) is BullMQ's, so restarts lose nothing.
 */
export class TargetQueues {
  readonly #o: TargetQueuesOptions;
  readonly #redis: Redis;
  readonly #queues = new Map<string, Queue<DeliveryJobData>>();
  readonly #workers = new Map<string, Worker<DeliveryJobData>>();
  readonly #connections: Redis[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: TargetQueuesOptions) {
    this.#o = options;
    this.#redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.#redis.on('error', (e) => options.onError('redis connection error', e));
  }

  private get registryKey(): string {
    return `${this.#o.prefix}:webhook-targets`;
  }

  async start(): Promise<void> {
    await this.discover();
    this.#timer = setInterval(() => {
      this.discover().catch((e: unknown) => this.#o.onError('target discovery failed', e));
    }, this.#o.discoveryIntervalMs);
  }

  private async discover(): Promise<void> {
    for (const name of await this.#redis.smembers(this.registryKey)) this.ensureWorker(name);
  }

  private queue(name: string): Queue<DeliveryJobData> {
    let q = this.#queues.get(name);
    if (q === undefined) {
      q = new Queue<DeliveryJobData>(name, { connection: this.#redis, prefix: this.#o.prefix });
      this.#queues.set(name, q);
    }
    return q;
  }

  private ensureWorker(name: string): void {
    if (this.#closed || this.#workers.has(name)) return;
    const connection = this.#redis.duplicate();
    connection.on('error', (e) => this.#o.onError('redis connection error', e));
    this.#connections.push(connection);
    const worker = new Worker<DeliveryJobData>(name, (job) => this.#o.process(job), {
      connection,
      prefix: this.#o.prefix,
      concurrency: this.#o.concurrencyPerTarget,
      settings: {
        backoffStrategy: (attempts, _type, err) =>
          err instanceof RetryLater ? err.delayMs : this.#o.fallbackDelayMs(attempts),
      },
    });
    worker.on('error', (e) => this.#o.onError(`worker ${name} error`, e));
    this.#workers.set(name, worker);
  }

  /** Queues one delivery; the delivery id is the job id, so a repeat while queued is a no-op. */
  async enqueue(target: string, deliveryId: string): Promise<void> {
    const name = queueNameOf(target);
    await this.#redis.sadd(this.registryKey, name);
    this.ensureWorker(name);
    const options: JobsOptions = {
      jobId: deliveryId,
      attempts: this.#o.maxAttempts,
      backoff: { type: 'webhook' },
      removeOnComplete: { age: 3_600 },
      removeOnFail: { age: 7 * 24 * 3_600 },
    };
    await this.queue(name).add('deliver', { deliveryId, target }, options);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await Promise.allSettled([...this.#workers.values()].map((w) => w.close()));
    await Promise.allSettled([...this.#queues.values()].map((q) => q.close()));
    await Promise.allSettled(this.#connections.map((c) => c.quit()));
    await this.#redis.quit().catch(() => undefined);
  }
}
