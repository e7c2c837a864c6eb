/**
 * A throwaway redis-server on a free loopback port, for the test setup and the benchmarks: no
 * persistence, its own temporary folder, gone on stop. Or the reason there is none.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayRedis {
  url: string;
  /** e.g. "7.0.15", from `redis-server --version`. */
  version: string;
  /** The server's process id (benchmarks read its CPU time). */
  pid: number;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends an inline PING over a raw socket until the server answers +PONG. */
async function waitForPing(port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.setTimeout(500, () => socket.destroy());
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (answered) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function startThrowawayRedis(binary = process.env['REDIS_SERVER_BIN'] ?? 'redis-server'): Promise<ThrowawayRedis | { skip: string }> {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skip: `no ${binary} on this machine (CI installs Debian's redis-server)` };
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-redis-'));
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitForPing(port, Date.now() + 10_000))) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    return { skip: `redis-server did not answer on port ${port} within 10 s` };
  }
  return { url: `redis://127.0.0.1:${port}`, version: /v=([\d.]+)/.exec(probe.stdout)?.[1] ?? '', pid: child.pid ?? 0, stop };
}
