import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_CONTEXT } from '../../../shared/guide/actionInputs';
import { defaultDockerRunOptions } from '../../../shared/guide/dockerRunForm';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { FAILURE_EXPLANATIONS, decisiveFailure } from '../../../shared/guide/trainingFailures';
import { fontCheck, fontFix, fontResult } from '../../../shared/guide/simsunFont';
import { OutputRows, outputCheck, outputCommand, parseOutputListing, savedModel } from '../../../shared/guide/trainingOutput';
import { launchCommand, parseStopOutput, parseTrainingStatus, statusCommand, stopCommand, trainingStatusResult } from '../../../shared/guide/trainingStatus';
import { parseLog } from '../../../shared/trainingLog';
import { runShell } from './guideShell';
import { bytesOf, fixture } from './trainingLogSupport';

const root = mkdtempSync(join(tmpdir(), 'qvl-training-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A work dir with Qwen-VL/finetune/finetune_ds.sh holding `script`. */
function workDir(name: string, script: string) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'Qwen-VL', 'finetune'), { recursive: true });
  writeFileSync(join(dir, 'Qwen-VL', 'finetune', 'finetune_ds.sh'), script);
  return { ...guide.defaults, workDir: dir, containerWorkDir: dir };
}

/** Live (not zombie) processes whose command line is exactly `args`. */
function processesRunning(...args: string[]): number {
  const wanted = `${args.join('\0')}\0`;
  return readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted;
    } catch {
      return false;
    }
  }).length;
}

/** Sleep lengths this run alone uses (a leftover of another run must not count), short enough to expire soon. */
const mark = (n: number) => String(200 + (process.pid % 250) * 4 + n);

const status = (params: ReturnType<typeof workDir>) => parseTrainingStatus(runShell(statusCommand(params).text));

describe('launching a run, with a real shell', () => {
  it('runs the script with Python unbuffered, its output and exit status beside the log', async () => {
    const params = workDir('unbuffered', 'echo "PYTHONUNBUFFERED=$PYTHONUNBUFFERED"\n');
    runShell(launchCommand(params).text);
    await expect.poll(() => status(params).state).toBe('exited');
    const { log, exitCode } = status(params);
    expect(exitCode).toBe(0);
    expect(readFileSync(join(params.containerWorkDir, 'Qwen-VL', log ?? ''), 'utf8')).toBe('PYTHONUNBUFFERED=1\n');
  });
});

describe('stopping a run, with real processes', () => {
  // Like torch elastic, the script starts a "worker" in a session of its own (out of the group's reach).
  it('ends the whole run with TERM, the worker in its own session too, and says the user stopped it', async () => {
    const params = workDir('term', `setsid sleep ${mark(0)} &\nsleep ${mark(1)}\n`);
    runShell(launchCommand(params).text);
    await expect.poll(() => processesRunning('sleep', mark(0)) + processesRunning('sleep', mark(1))).toBe(2);
    expect(status(params).state).toBe('running');

    const stopped = parseStopOutput(runShell(stopCommand(params, 5).text));
    expect(stopped.outcome).toBe('terminated');
    expect(processesRunning('sleep', mark(0))).toBe(0);
    expect(processesRunning('sleep', mark(1))).toBe(0);
    const after = status(params);
    expect(after.state).toBe('stopped');
    expect(after.stoppedAt).toBeGreaterThan(1.7e9);
    const result = trainingStatusResult(after, params);
    expect(result.status).toBe('warn');
    expect(result.summary.en).toMatch(/^Training was stopped by you/);
    // Nothing runs any more: a second stop has nothing to do.
    expect(parseStopOutput(runShell(stopCommand(params, 5).text)).outcome).toBe('none');
  }, 30_000);

  it('kills what ignores TERM once the grace period is over', async () => {
    const params = workDir('kill', `trap '' TERM\nsetsid sleep ${mark(2)} &\nsleep ${mark(3)}\n`);
    runShell(launchCommand(params).text);
    await expect.poll(() => processesRunning('sleep', mark(2)) + processesRunning('sleep', mark(3))).toBe(2);
    const stopped = parseStopOutput(runShell(stopCommand(params, 1).text));
    expect(stopped).toEqual({ outcome: 'killed', waitedSeconds: 1 });
    expect(processesRunning('sleep', mark(2)) + processesRunning('sleep', mark(3))).toBe(0);
    expect(status(params).state).toBe('stopped');
  }, 30_000);

  it('does nothing where no run was started', () => {
    const params = workDir('none', 'true\n');
    expect(parseStopOutput(runShell(stopCommand(params).text))).toEqual({ outcome: 'none', waitedSeconds: null });
  });
});

describe('the output dir', () => {
  const SCRIPT = readFileSync(join(__dirname, '../../devserver/ascendcloud/multimodal_algorithm/QwenVL/train/aa00ed04091eea5fcdd32985e7915f1c53e7d599/qwen-vl/finetune/finetune_ds.sh'), 'utf8');
  const write = (path: string, bytes: number, at: number) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(bytes));
    utimesSync(path, at, at);
  };
  const check = (params: ReturnType<typeof workDir>) => outputCheck().parse([{ stdout: runShell(outputCommand(params).text), stderr: '', code: 0 }], params);

  it('says there is nothing before training wrote anything', () => {
    const params = workDir('output-none', SCRIPT);
    const result = check(params);
    expect(result.status).toBe('fail');
    expect(result.summary.en).toBe(`${params.containerWorkDir}/Qwen-VL/output_qwen does not exist yet: training saves a checkpoint every --save_steps steps and writes the model there when it ends.`);
  });

  it('lists checkpoints in step order with their files’ sizes, then the final model', () => {
    const params = workDir('output-run', SCRIPT);
    const out = join(params.containerWorkDir, 'Qwen-VL', 'output_qwen');
    for (const step of [5, 10]) {
      const dir = join(out, `checkpoint-${step}`);
      const at = 1_764_300_000 + step;
      for (const shard of [1, 2]) write(join(dir, `pytorch_model-0000${shard}-of-00002.bin`), 8192, at);
      write(join(dir, 'trainer_state.json'), 100, at);
      write(join(dir, `global_step${step}`, 'bf16_zero_pp_rank_0_mp_rank_00_optim_states.pt'), 16384, at);
    }
    const during = check(params);
    expect(during.status).toBe('warn');
    expect(during.summary.en).toContain('2 checkpoints (the latest checkpoint-10) with full weights (2 files, 0.0 GB); the final model is written when training ends.');
    expect(OutputRows.parse(JSON.parse(during.facts?.listing ?? ''))).toEqual([
      { name: 'checkpoint-5/', bytes: 2 * 8192 + 100 + 16384, modified: 1_764_300_005_000, files: 4 },
      { name: 'checkpoint-10/', bytes: 2 * 8192 + 100 + 16384, modified: 1_764_300_010_000, files: 4 },
    ]);

    write(join(out, 'pytorch_model-00001-of-00002.bin'), 8192, 1_764_300_020);
    write(join(out, 'config.json'), 10, 1_764_300_020);
    const partial = check(params);
    expect(partial.status).toBe('warn');
    expect(partial.summary.en).toContain('pytorch_model-00002-of-00002.bin missing');
    write(join(out, 'pytorch_model-00002-of-00002.bin'), 8192, 1_764_300_021);
    const done = check(params);
    expect(done.status).toBe('pass');
    expect(done.summary.en).toBe(`The trained model is in ${params.containerWorkDir}/Qwen-VL/output_qwen: full weights (2 files, 0.0 GB); 2 checkpoints (the latest checkpoint-10).`);
    expect(OutputRows.parse(JSON.parse(done.facts?.listing ?? '')).map((row) => row.name)).toEqual(['config.json', 'pytorch_model-00001-of-00002.bin', 'pytorch_model-00002-of-00002.bin', 'checkpoint-5/', 'checkpoint-10/']);
  });

  it('follows an --output_dir the form changed, quoted or not', () => {
    const params = workDir('output-custom', SCRIPT.replace('--output_dir output_qwen', '--output_dir "/data/out-lora"'));
    const listing = parseOutputListing(runShell(outputCommand(params).text));
    expect(listing).toMatchObject({ dir: '/data/out-lora', exists: false });
  });

  it('recognises a LoRA adapter, and that an index alone is no model', () => {
    expect(savedModel([{ name: 'adapter_config.json', bytes: 300 }, { name: 'adapter_model.safetensors', bytes: 4096 }])).toEqual({ kind: 'lora', files: ['adapter_model.safetensors'], bytes: 4096, missingShards: [] });
    expect(savedModel([{ name: 'model.safetensors.index.json', bytes: 300 }])).toBeNull();
    expect(savedModel([{ name: 'model-00002-of-00003.safetensors', bytes: 1 }])?.missingShards).toEqual(['model-00001-of-00003.safetensors', 'model-00003-of-00003.safetensors']);
  });
});

describe('SimSun.ttf on an offline server', () => {
  const tail = (log: string) => `log=log_dir/train-1.log\npid=4242\nstate=exited\nexit=1\n@@qvl-log@@\n${log}`;

  it('explains QwenLM/Qwen-VL#90’s traceback by the font download, with the fix', () => {
    const log = new TextDecoder().decode(fixture('qwen-vl-issue90-simsun-download-offline.log'));
    const result = trainingStatusResult(parseTrainingStatus(tail(log)), guide.defaults);
    expect(result.facts?.failure).toBe('simsun-download');
    expect(result.evidence).toContain("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='qianwen-res.oss-cn-beijing.aliyuncs.com', port=443)");
    expect(result.summary.en).toContain('copy SimSun.ttf from the weights folder into Qwen-VL/');
    expect(result.summary.zh).toContain('SimSun.ttf 复制到 Qwen-VL/ 下');
  });

  // requests' other failures for the same download (the reference lists them): a proxy that wants
  // credentials, TLS interception; eight ranks each fail the same way, then torchrun reports it.
  it('finds it whichever way the download failed, before the traceback and torchrun’s report', () => {
    const url = "HTTPSConnectionPool(host='qianwen-res.oss-cn-beijing.aliyuncs.com', port=443): Max retries exceeded with url: /Qwen-VL/assets/SimSun.ttf";
    const log = [
      'Traceback (most recent call last):',
      '  File "finetune.py", line 367, in <module>',
      `requests.exceptions.ProxyError: ${url} (Caused by ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 407 Proxy Authentication Required')))`,
      `requests.exceptions.SSLError: ${url} (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain (_ssl.c:1129)')))`,
      'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 1) local_rank: 0 (pid: 4242) of binary: /home/ma-user/anaconda3/envs/PyTorch-2.1.0/bin/python',
      '',
    ].join('\n');
    const failures = parseLog(bytesOf(log)).failures;
    expect(failures.map((failure) => failure.kind)).toEqual(['traceback', 'simsun-download', 'simsun-download', 'worker-failed']);
    expect(decisiveFailure(failures)?.text).toContain('ProxyError');
    expect(FAILURE_EXPLANATIONS['simsun-download'].en).toContain('cannot reach the internet');
  });

  it('checks before the run where the tokenizer will look, and runs the same command a real shell would', () => {
    expect(fontResult('here=yes\nweights=yes\n', guide.defaults).status).toBe('pass');
    expect(fontResult('cache=yes\n', guide.defaults).summary.en).toContain('Hugging Face cache');
    expect(fontResult('', guide.defaults)).toMatchObject({ status: 'warn', facts: { weightsHasFont: 'false' } });
    const params = workDir('font', 'true\n');
    mkdirSync(join(params.containerWorkDir, 'Qwen-VL-Chat'));
    writeFileSync(join(params.containerWorkDir, 'Qwen-VL-Chat', 'SimSun.ttf'), 'font');
    const check = () => fontCheck().parse([{ stdout: runShell(fontCheck().commands(params)[0]?.text ?? ''), stderr: '', code: 0 }], params);
    expect(check()).toMatchObject({ status: 'warn', facts: { weightsHasFont: 'true' } });
    runShell(fontFix().commands(params, defaultDockerRunOptions(guide.dockerRun), NO_CONTEXT)[0]?.text ?? '');
    expect(check().status).toBe('pass');
  });

  it('leaves other connection errors to the generic explanation', () => {
    const failures = parseLog(bytesOf("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /Qwen/Qwen-VL-Chat/resolve/main/config.json\n")).failures;
    expect(failures.map((failure) => failure.kind)).toEqual(['python-error']);
  });
});
