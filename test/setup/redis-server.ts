/**
 * Vitest global setup: starts a throwaway redis-server on a free loopback port for the store
 * tests, and tells them its URL. On a machine without the binary the Redis variants skip,
 * saying why (CI installs Debian's redis-server, so there they always run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | null;
    redisSkipReason: string;
  }
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    project.provide('redisUrl', null);
    project.provide('redisSkipReason', `no ${binary} on this machine (CI installs Debian's redis-server)`);
    return async () => {};
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wirewatch-redis-'));
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const up = await waitForPing(port, Date.now() + 10_000);
  if (!up) {
    child.kill('SIGKILL');
    project.provide('redisUrl', null);
    project.provide('redisSkipReason', `redis-server did not answer on port ${port} within 10 s`);
  } else {
    project.provide('redisUrl', `redis://127.0.0.1:${port}`);
    project.provide('redisSkipReason', '');
  }
  return async () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
}
