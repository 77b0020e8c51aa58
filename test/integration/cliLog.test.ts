import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = (name: string) => join('test/fixtures/logs', name);

async function qvl(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['dist/cli/qvl.mjs', 'log', ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('qvl log', () => {
  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-node.mjs', 'cli']);
  });

  it('prints the documented JSON for several files, with lm loss named loss', async () => {
    const result = await qvl(['--json', fixture('modellink_ascend910b_qwen7b_iteration.log'), fixture('hf_trainer_grad_norm_fullprecision.log')]);
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(Object.keys(file).sort()).toEqual(['failures', 'file', 'format', 'points', 'series', 'stepSource', 'verdict']);
      expect(Object.keys(file.series.loss).sort()).toEqual(['count', 'first', 'last', 'max', 'min', 'nan']);
      expect(typeof file.verdict.reason).toBe('string');
    }
    expect(files[0]).toMatchObject({ format: 'megatron', stepSource: 'line', series: { loss: { count: 8 } } });
    expect(files[1]).toMatchObject({ format: 'hf-trainer', series: { grad_norm: expect.any(Object), learning_rate: expect.any(Object) } });
  });

  it('finds failures with their line numbers, and says why a log has no loss', async () => {
    const { files } = JSON.parse((await qvl(['--json', fixture('npu-ei0002-hccl-notify-wait-timeout.log')])).stdout);
    expect(files[0].failures).toContainEqual(expect.objectContaining({ line: 2, kind: 'hccl-timeout' }));
    expect(files[0].verdict.state).toBe('no-loss');
  });

  it('prints one CSV row per step', async () => {
    const result = await qvl(['--csv', fixture('modellink_ascend910b_qwen7b_iteration.log')]);
    const rows = result.stdout.trim().split('\n');
    expect(rows[0]).toBe('step,epoch,loss,learning_rate,grad_norm');
    expect(rows).toHaveLength(9);
  });

  it('exits 1 for an invalid run, and 2 for a missing file or bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qvl-log-'));
    const broken = join(dir, 'nan.log');
    writeFileSync(broken, Array.from({ length: 30 }, (_, i) => `{'loss': ${i < 10 ? 2 - i * 0.1 : 'nan'}, 'learning_rate': 1e-05, 'epoch': ${i / 10}}\n`).join(''));
    const invalid = await qvl(['--json', broken]);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout).files[0].verdict.state).toBe('invalid');
    expect((await qvl([join(dir, 'missing.log')])).code).toBe(2);
    expect((await qvl(['--json', '--csv', broken])).code).toBe(2);
    expect((await qvl([])).code).toBe(2);
  });
});
