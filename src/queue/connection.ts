import { Redis, type RedisOptions } from 'ioredis';
import { RandwireError } from '../core/errors.js';

/** The environment variable that may hold the queue URL, so that its password stays off command lines. */
export const QUEUE_URL_ENV = 'RANDWIRE_REDIS_URL';

export interface QueueUrl {
  options: RedisOptions;
  /** The URL with its password replaced, the only form that may be printed or stored. */
  redacted: string;
}

/** Parse redis://[user:pass@]host:port[/db] or rediss:// (TLS); never echoes the password in an error. */
export function parseQueueUrl(text: string | undefined): QueueUrl {
  const given = text ?? process.env[QUEUE_URL_ENV];
  if (!given) throw new RandwireError('queue', `give --queue redis://host:port or set ${QUEUE_URL_ENV}`);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new RandwireError('queue', 'the queue URL is not a URL; write redis://[user:password@]host:port[/db] or rediss://... for TLS');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new RandwireError('queue', `the queue URL must start with redis:// or rediss:// (TLS), not ${url.protocol}//`);
  }
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new RandwireError('queue', `the queue URL's database must be a number (redis://host:port/0), not '${decodeURIComponent(db)}'`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const redactedUrl = new URL(url.href);
  if (redactedUrl.password) redactedUrl.password = '***';
  return {
    redacted: redactedUrl.href,
    options: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: db === '' ? 0 : Number(db),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      // Workers block on Redis; commands must wait for a reconnect instead of failing (BullMQ's rule).
      maxRetriesPerRequest: null,
      retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
    },
  };
}

/**
 * A Redis connection that says in one line when it is lost and when it is back (ioredis retries
 * with backoff forever). Messages name the redacted URL only.
 */
export function connect(url: QueueUrl, log: (line: string) => void, who: string): Redis {
  const redis = new Redis({ ...url.options, lazyConnect: false });
  let down = false;
  redis.on('error', (e: Error) => {
    if (down) return;
    down = true;
    log(`${who}: lost ${url.redacted} (${e.message.replace(/redis:\/\/[^@\s]*@/g, 'redis://***@')}); reconnecting with backoff`);
  });
  redis.on('ready', () => {
    if (down) log(`${who}: reconnected to ${url.redacted}`);
    down = false;
  });
  return redis;
}
