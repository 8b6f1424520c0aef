import { Redis, type RedisOptions } from 'ioredis';
import { RandwireError } from '../core/errors.js';
import { TIMED_OUT, within } from '../sweep/processes.js';

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
  if (db !== '' && !/^\d+$/.test(db))
    throw new RandwireError('queue', `the queue URL's database must be a number (redis://host:port/0), not '${decodeURIComponent(db)}'`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const redactedUrl = new URL(url.href);
  if (redactedUrl.password) redactedUrl.password = '***';
  // redis://secret@host: a password written where the user name goes.
  else if (redactedUrl.username) redactedUrl.username = '***';
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
  let ready = false;
  redis.on('error', (e: Error) => {
    // Before the first connection, connectChecked says what went wrong.
    if (down || !ready) return;
    down = true;
    log(`${who}: lost ${url.redacted} (${e.message.replace(/redis:\/\/[^@\s]*@/g, 'redis://***@')}); reconnecting with backoff`);
  });
  redis.on('ready', () => {
    if (down) log(`${who}: reconnected to ${url.redacted}`);
    down = false;
    ready = true;
  });
  return redis;
}

const FIRST_CONTACT_MS = 5000;

/** connect(), then a first PING: a wrong password, host or port is a one-line error, not an endless retry. */
export async function connectChecked(url: QueueUrl, log: (line: string) => void, who: string): Promise<Redis> {
  const redis = connect(url, log, who);
  let lastError: Error | undefined;
  const onError = (e: Error): void => void (lastError = e);
  redis.on('error', onError);
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), FIRST_CONTACT_MS))]);
    return redis;
  } catch (e) {
    redis.disconnect();
    const err = lastError ?? (e as Error);
    const m = err.message;
    const why = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(m)
      ? 'it refused the user name or password'
      : /ENOTFOUND|EAI_AGAIN/.test(m)
        ? 'its host name is unknown'
        : /ECONNREFUSED/.test(m)
          ? 'nothing listens on that port'
          : m === 'timeout'
            ? `no answer within ${FIRST_CONTACT_MS / 1000} s`
            : m.replace(/redis:\/\/[^@\s]*@/g, 'redis://***@');
    throw new RandwireError('queue', `cannot use Redis at ${url.redacted}: ${why}`);
  } finally {
    redis.off('error', onError);
  }
}

/**
 * Longest wait for one answer from Redis where nothing else would end the wait: ioredis holds a
 * command until it reconnects (maxRetriesPerRequest: null), so a lost Redis would hold it forever.
 */
export const REDIS_WAIT_MS = 10_000;

/** `p` if Redis answers within `ms`; otherwise the error `unanswered` makes (told the seconds waited). */
export async function answered<T>(p: Promise<T>, unanswered: (seconds: number) => Error, ms = REDIS_WAIT_MS): Promise<T> {
  const r = await within(p, ms);
  if (r === TIMED_OUT) throw unanswered(ms / 1000);
  return r;
}
