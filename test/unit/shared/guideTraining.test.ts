import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chosenPackage, codePackageCheck, findPackages, parsePackageName } from '../../../shared/guide/codePackage';
import { fixPrefetchBucket, hasAutoPrefetchBucket, parseFinetuneScript, rewriteFinetuneScript, scriptSettings } from '../../../shared/guide/finetuneScript';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { planConfigure, replaceFileCommand } from '../../../shared/guide/trainingItems';
import { forNode, validateTrainingForm } from '../../../shared/guide/trainingForm';
import type { TrainingForm } from '../../../shared/guide/trainingForm';
import { launchCommand, parseTrainingStatus, trainingStatusResult } from '../../../shared/guide/trainingStatus';
import { hostPathOf } from '../../../shared/guide/workPaths';
import { INDEX_FILE, SHARDS, WEIGHT_FILES, readWeights, weightsCheck } from '../../../shared/guide/weightsCheck';
import { testTrainingForm } from '../../devserver/trainingFiles';

const PACKAGE = join(__dirname, '../../devserver/ascendcloud/multimodal_algorithm/QwenVL/train/aa00ed04091eea5fcdd32985e7915f1c53e7d599/qwen-vl/finetune');
const STOCK = readFileSync(join(PACKAGE, 'finetune_ds.sh'), 'utf8');
const ZERO3 = readFileSync(join(PACKAGE, 'ds_config_zero3.json'), 'utf8');
const params = guide.defaults;

const form: TrainingForm = testTrainingForm('/home/ma-user/ws', '5');

describe('finetune_ds.sh', () => {
  it('reads the stock script’s settings', () => {
    expect(scriptSettings(parseFinetuneScript(STOCK))).toEqual({ ...form, model: 'Qwen/Qwen-VL-Chat', data: 'path_to_data', fixPrefetchBucket: undefined });
  });

  it('rewrites only the values the form changed, every other byte kept', () => {
    const result = rewriteFinetuneScript(STOCK, { ...form, epochs: '2', learningRate: '2e-5' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changed).toEqual(['model', 'data', 'epochs', 'learningRate']);
    const expected = STOCK.replace('MODEL="Qwen/Qwen-VL-Chat" #', 'MODEL="/home/ma-user/ws/Qwen-VL-Chat" #')
      .replace('DATA="path_to_data"', 'DATA="/home/ma-user/ws/data/train.json"')
      .replace('--num_train_epochs 5 \\', '--num_train_epochs 2 \\')
      .replace('--learning_rate 1e-5 \\', '--learning_rate 2e-5 \\');
    expect(result.text).toBe(expected);
    // Unchanged form: the script comes back identical.
    const again = rewriteFinetuneScript(result.text, { ...form, epochs: '2', learningRate: '2e-5' });
    expect(again).toEqual({ ok: true, text: result.text, changed: [] });
  });

  it('keeps CRLF line ends, a missing final newline and the last line without a backslash', () => {
    const crlf = STOCK.replaceAll('\n', '\r\n').replace(/\r\n$/, '');
    const result = rewriteFinetuneScript(crlf, { ...form, deepspeed: 'finetune/ds_config_zero2.json', nnodes: '2', nodeRank: '1', masterAddr: '192.168.0.10' });
    expect(result.ok && result.text).toBe(
      crlf.replace('--deepspeed finetune/ds_config_zero3.json', '--deepspeed finetune/ds_config_zero2.json').replace('NNODES=1\r', 'NNODES=2\r').replace('NODE_RANK=0\r', 'NODE_RANK=1\r').replace('MASTER_ADDR=localhost\r', 'MASTER_ADDR=192.168.0.10\r').replace('MODEL="Qwen/Qwen-VL-Chat"', `MODEL="${form.model}"`).replace('DATA="path_to_data"', `DATA="${form.data}"`),
    );
  });

  it('refuses a setting the script lacks, computes or repeats', () => {
    const computed = STOCK.replace('MODEL="Qwen/Qwen-VL-Chat"', 'MODEL="${MODEL_PATH:-Qwen/Qwen-VL-Chat}"');
    expect(rewriteFinetuneScript(computed, form)).toMatchObject({ ok: false, errors: [{ field: 'model' }] });
    const noEpochs = STOCK.replace('    --num_train_epochs 5 \\\n', '');
    expect(rewriteFinetuneScript(noEpochs, form)).toMatchObject({ ok: false, errors: [{ field: 'epochs' }] });
    const twice = STOCK.replace('DATA="path_to_data"', 'DATA="a.json"\nDATA="b.json"');
    expect(rewriteFinetuneScript(twice, form)).toMatchObject({ ok: false, errors: [{ field: 'data' }] });
  });

  it('validates the form: unquoted expansion forbids spaces, rank below node count', () => {
    expect(validateTrainingForm(form)).toEqual([]);
    const fields = validateTrainingForm({ ...form, data: '/data/my set.json', batchSize: '0', learningRate: 'fast', nodeRank: '2', nnodes: '2', masterPort: '70000' }).map((error) => error.field);
    expect(fields).toEqual(['data', 'batchSize', 'learningRate', 'masterPort', 'nodeRank']);
    expect(forNode(form, 1, 2, '10.0.0.5')).toMatchObject({ nnodes: '2', nodeRank: '1', masterAddr: '10.0.0.5' });
  });

  it('fixes DeepSpeed’s "auto" prefetch bucket with the integer, the layout kept', () => {
    expect(hasAutoPrefetchBucket(ZERO3)).toBe(true);
    const fixed = fixPrefetchBucket(ZERO3);
    expect(fixed).toBe(ZERO3.replace('"stage3_prefetch_bucket_size": "auto"', '"stage3_prefetch_bucket_size": 15099494'));
    expect(hasAutoPrefetchBucket(fixed)).toBe(false);
    expect(JSON.parse(fixed).zero_optimization.stage3_prefetch_bucket_size).toBe(15099494);
  });

  it('plans the writes from the text just read; nothing when nothing changes', () => {
    const read = [
      { stdout: STOCK, stderr: '', code: 0 },
      { stdout: ZERO3, stderr: '', code: 0 },
    ];
    const plan = planConfigure(read, form);
    expect(plan.errors).toEqual([]);
    expect(plan.script?.before).toBe(STOCK);
    expect(plan.config?.after).toBe(fixPrefetchBucket(ZERO3));
    const done = planConfigure(
      [
        { stdout: plan.script?.after ?? '', stderr: '', code: 0 },
        { stdout: plan.config?.after ?? '', stderr: '', code: 0 },
      ],
      form,
    );
    expect(done).toEqual({ errors: [], script: null, config: null });
    expect(planConfigure(read, null).errors).toHaveLength(1);
  });
});

describe('the compare-and-swap write, run by a real shell', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qvl-cas-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the new text byte for byte and keeps the original once', () => {
    const file = join(dir, 'finetune_ds.sh');
    writeFileSync(file, STOCK);
    const after = rewriteFinetuneScript(STOCK, form);
    if (!after.ok) throw new Error('rewrite failed');
    execFileSync('/bin/sh', ['-c', replaceFileCommand(file, STOCK, after.text).text]);
    expect(readFileSync(file, 'utf8')).toBe(after.text);
    expect(readFileSync(`${file}.qvl-orig`, 'utf8')).toBe(STOCK);
  });

  it('refuses when the file changed since it was read', () => {
    const file = join(dir, 'other.sh');
    writeFileSync(file, 'echo changed\n');
    expect(() => execFileSync('/bin/sh', ['-c', replaceFileCommand(file, 'echo original\n', 'echo new\n').text], { stdio: 'pipe' })).toThrow(/changed on the server/);
    expect(readFileSync(file, 'utf8')).toBe('echo changed\n');
  });
});

describe('the code package', () => {
  it('reads version and build from the name, and prefers the newest of the guide’s version', () => {
    expect(parsePackageName('AscendCloud-AIGC-6.3.910-20241205163201.zip')).toEqual({ version: '6.3.910', build: '20241205163201' });
    expect(parsePackageName('AscendCloud-6.3.910-xxx.zip')).toBeNull();
    const found = findPackages('AscendCloud-AIGC-6.3.910-1.zip\t10\nAscendCloud-AIGC-6.3.910-2.zip\t20\nAscendCloud-AIGC-6.3.906-9.zip\t5\n');
    expect(chosenPackage(found, '6.3.910')?.name).toBe('AscendCloud-AIGC-6.3.910-2.zip');
  });

  it('fails on a package of another version than the image’s, passes on the right one or an unpacked one', () => {
    const check = codePackageCheck('6.3.910');
    const parse = (stdout: string) => check.parse([{ stdout, stderr: '', code: 0 }], params);
    const wrong = parse('AscendCloud-AIGC-6.3.906-20241010.zip\t1048576\n');
    expect(wrong.status).toBe('fail');
    expect(wrong.summary.en).toContain('version 6.3.906, but the image and this guide are 6.3.910');
    expect(parse('AscendCloud-AIGC-6.3.910-20241205.zip\t1048576\n')).toMatchObject({ status: 'pass', facts: { package: 'AscendCloud-AIGC-6.3.910-20241205.zip' } });
    expect(parse('unpacked\n').status).toBe('pass');
    expect(parse('').summary.en).toContain('There is no AscendCloud-AIGC-6.3.910-*.zip');
  });
});

describe('the weights folder', () => {
  const index = (map: Record<string, string>) => JSON.stringify({ metadata: { total_size: 1000 }, weight_map: map });
  const goodMap = Object.fromEntries(SHARDS.map((shard, i) => [`w${i}`, shard]));
  const listing = (files: readonly string[], size = 200) => files.map((name) => `${name}\t${size}`).join('\n');
  const output = (files: readonly string[], map: Record<string, string>, extra = '') => ({ stdout: `${listing(files)}\n${extra}@@qvl-index@@\n${index(map)}`, stderr: '', code: 0 });
  const parse = (out: { stdout: string; stderr: string; code: number }) => weightsCheck().parse([out], params);

  it('passes a complete folder whose index names the 10 shards', () => {
    const result = parse(output(WEIGHT_FILES, goodMap));
    expect(result.status).toBe('pass');
    expect(result.evidence).toContain('10/10 shards');
  });

  it('catches a missing shard', () => {
    const result = parse(output(WEIGHT_FILES.filter((name) => name !== SHARDS[4]), goodMap));
    expect(result.status).toBe('fail');
    expect(result.summary.en).toContain(`1 file is missing: ${SHARDS[4]}`);
    expect(result.summary.en).toContain(`The index points at shards that are missing or unexpected: ${SHARDS[4]}`);
  });

  it('catches an index pointing at a wrong file', () => {
    const result = parse(output(WEIGHT_FILES, { ...goodMap, w3: 'pytorch_model-00004-of-00011.bin' }));
    expect(result.status).toBe('fail');
    expect(result.summary.en).toContain('pytorch_model-00004-of-00011.bin');
    expect(result.summary.en).toContain(`maps no weight to ${SHARDS[3]}`);
  });

  it('catches Git LFS pointers and shards smaller than the index’s total', () => {
    const report = readWeights(`${listing(WEIGHT_FILES, 50)}\nlfs:${SHARDS[0]}\n@@qvl-index@@\n${index(goodMap)}`);
    expect(report.lfsPointers).toEqual([SHARDS[0]]);
    expect(report.shardBytes).toBe(500);
    expect(parse({ stdout: `${listing(WEIGHT_FILES, 50)}\n@@qvl-index@@\n${index(goodMap)}`, stderr: '', code: 0 }).summary.en).toContain('less than the 1000 the index records');
  });

  it('says the folder is missing when cd failed, and that an unreadable index is broken', () => {
    expect(parse({ stdout: '', stderr: 'cd: /home/ma-user/ws/Qwen-VL-Chat: No such file or directory', code: 1 }).summary.en).toContain('There is no weights folder');
    expect(readWeights(`${listing(WEIGHT_FILES)}\n@@qvl-index@@\n{"weight_map":`).indexError).not.toBeNull();
    expect(WEIGHT_FILES).toContain(INDEX_FILE);
  });
});

describe('the training run’s status', () => {
  const tail = (log: string) => `log=log_dir/train-1.log\npid=4242\n${log}`;

  it('reads a running run and hands the log’s host path on', () => {
    const status = parseTrainingStatus(tail("state=running\n@@qvl-log@@\n{'loss': 1.2, 'learning_rate': 1e-5, 'epoch': 0.1}\n"));
    expect(status).toMatchObject({ state: 'running', log: 'log_dir/train-1.log', pid: 4242, exitCode: null, points: 1 });
    const result = trainingStatusResult(status, { ...params, workDir: '/data/ws' });
    expect(result.status).toBe('pass');
    expect(result.facts).toMatchObject({ state: 'running', log: '/home/ma-user/ws/Qwen-VL/log_dir/train-1.log', hostLog: '/data/ws/Qwen-VL/log_dir/train-1.log' });
  });

  it('explains an exit with an NPU OOM by the OOM, not the traceback after it', () => {
    const log = readFileSync(join(__dirname, '../../fixtures/logs/npu-oom-touchnet-issue100.log'), 'utf8');
    const status = parseTrainingStatus(tail(`state=exited\nexit=1\n@@qvl-log@@\nTraceback (most recent call last):\n${log}`));
    expect(status.exitCode).toBe(1);
    const result = trainingStatusResult(status, params);
    expect(result.status).toBe('fail');
    expect(result.summary.en).toMatch(/^Training failed \(exit status 1\)\. The NPU ran out of memory/);
    expect(result.facts?.failure).toBe('npu-oom');
  });

  it('tells a vanished run from a finished one, and a run never started', () => {
    expect(trainingStatusResult(parseTrainingStatus(tail('state=lost\n@@qvl-log@@\n')), params).summary.en).toContain('gone without an exit status');
    expect(trainingStatusResult(parseTrainingStatus(tail('state=exited\nexit=0\n@@qvl-log@@\n')), params).status).toBe('pass');
    expect(parseTrainingStatus('state=none\n').state).toBe('none');
  });

  it('launches in its own session with both streams in the log', () => {
    const text = launchCommand(params).text;
    expect(text).toContain('PYTHONUNBUFFERED=1 setsid nohup bash -c');
    expect(text).toContain('> "$1" 2>&1; echo $? > "$1.exit"');
    expect(hostPathOf(params, '/elsewhere/x.log')).toBeNull();
  });
});
