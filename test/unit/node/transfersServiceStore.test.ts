import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TransfersService } from '../../../electron/main/services/transfer/transfersService';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function serviceWith(content: string): TransfersService {
  const dir = mkdtempSync(join(tmpdir(), 'qvl-transfers-'));
  dirs.push(dir);
  const file = join(dir, 'transfers.json');
  writeFileSync(file, content);
  return new TransfersService({ file, onUpdate: () => undefined, session: () => Promise.reject(new Error('not connected')) });
}

describe('the saved transfer list', () => {
  it.each([
    ['not JSON', '{"jobs": [tru'],
    ['JSON of another shape', '{"jobs": {"a": 1}}'],
    ['a bare value', 'null'],
  ])('starts empty instead of failing when the file is %s', async (_name, content) => {
    await expect(serviceWith(content).list()).resolves.toEqual([]);
  });

  it('brings a job that was running back as interrupted', async () => {
    const job = { jobId: 'j1', hostId: 'host-0001', direction: 'upload', localPath: '/tmp/a', remotePath: '/r/a', state: 'running', progress: null, summary: null, error: null, startedAt: 1 };
    const listed = await serviceWith(JSON.stringify({ jobs: [job, { bogus: true }] })).list();
    expect(listed.map((entry) => [entry.jobId, entry.state])).toEqual([['j1', 'interrupted']]);
  });
});
