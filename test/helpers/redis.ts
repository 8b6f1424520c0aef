import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tempFolder } from './folder.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
/** About ten times a start on a quiet machine (a fraction of a second) plus a loaded machine's delays. */
const REDIS_START_MS = 60_000;

/** Why Redis tests cannot run here, or undefined when they can (CI installs it and then requires it). */
export function redisMissing(): string | undefined {
  if (spawnSync(REDIS_SERVER, ['--version']).status === 0) return undefined;
  if (process.env.RANDWIRE_REQUIRE_REDIS) throw new Error(`${REDIS_SERVER} is missing although CI installed redis-server`);
  return `${REDIS_SERVER} is not installed (apt-get install -y redis-server)`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real redis-server on a free loopback port, with an append-only file so that a restart keeps
 * the queue; `persist: false` runs it as `--save '' --appendonly no`, where a restart loses everything.
 */
export class TestRedis {
  private proc: ChildProcess | undefined;
  readonly dir = tempFolder('randwire-redis-');

  private constructor(
    readonly port: number,
    readonly password: string,
    readonly persist: boolean,
  ) {}

  static async start(password: string, o: { persist?: boolean } = {}): Promise<TestRedis> {
    const r = new TestRedis(await freePort(), password, o.persist ?? true);
    await r.launch();
    return r;
  }

  url(): string {
    return `redis://:${this.password}@127.0.0.1:${this.port}`;
  }

  private launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...(this.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
      '--dir',
      this.dir,
      '--requirepass',
      this.password,
    ];
    const proc = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    this.proc = proc;
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`redis-server on port ${this.port} did not say it was ready within ${REDIS_START_MS / 1000} s: ${out.slice(-500)}`));
      }, REDIS_START_MS);
      proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`));
      });
    });
  }

  /** Stop (writing its append-only file) and start again on the same port. */
  async restart(downMs = 1000): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    await gone;
  }
}
