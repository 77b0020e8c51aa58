import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('npm run web', () => {
  it('honours `-- --port N --no-open`, prints a tokened URL on that port and serves it', async () => {
    const port = await freePort();
    const child = spawn('npm', ['run', 'web', '--', '--port', String(port), '--no-open', '--data-dir', mkdtempSync(join(tmpdir(), 'qvl-npm-web-'))], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // As a user runs it: vitest's NODE_ENV=test would make vite build React's development bundle.
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV')),
    });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{48})/.exec(output);
          if (match) resolve(match[0]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`npm run web exited with ${code}:\n${output}`)));
      });
      expect(new URL(url).port).toBe(String(port));
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }
  });
});
