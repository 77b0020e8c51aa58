/**
 * Local files for Steps 3–5 against the simulated DevServer: an AscendCloud-AIGC package with the
 * real layout (ascendcloud/: the install script, Qwen-VL's finetune scripts, the patched
 * modeling_qwen.py), and a Qwen-VL-Chat folder of tiny files whose index agrees with its shards.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { modelartsQwenVl6310 } from '../../shared/guide/modelartsQwenVl6310';
import type { TrainingForm } from '../../shared/guide/trainingForm';
import { INDEX_FILE, SHARDS, WEIGHT_FILES } from '../../shared/guide/weightsCheck';
import { sh } from '../../shared/remote/remoteCommand';

const run = promisify(execFile);
const PACKAGE_TREE = fileURLToPath(new URL('./ascendcloud', import.meta.url));

/** Zips ascendcloud/ as AscendCloud-AIGC-<version>-<build>.zip in `dir`; returns its path. */
export async function makeCodePackage(dir: string, version = '6.3.910', build = '20241205163201'): Promise<string> {
  const zip = join(dir, `AscendCloud-AIGC-${version}-${build}.zip`);
  await run('zip', ['-q', '-r', '-X', zip, 'multimodal_algorithm'], { cwd: PACKAGE_TREE });
  return zip;
}

const SHARD_BYTES = 4096;

/**
 * Qwen-VL-Chat/ with every file of the guide's tree: shards of SHARD_BYTES, an index mapping two
 * tensors to each, total_size a little under the shards' sum as in a real checkpoint.
 */
export async function makeWeightsFolder(parent: string): Promise<string> {
  const dir = join(parent, 'Qwen-VL-Chat');
  await mkdir(dir, { recursive: true });
  const weightMap: Record<string, string> = {};
  SHARDS.forEach((shard, index) => {
    weightMap[`transformer.h.${index}.attn.c_attn.weight`] = shard;
    weightMap[`transformer.h.${index}.mlp.w1.weight`] = shard;
  });
  const index = { metadata: { total_size: SHARDS.length * (SHARD_BYTES - 512) }, weight_map: weightMap };
  for (const name of WEIGHT_FILES) {
    const content = name === INDEX_FILE ? `${JSON.stringify(index, null, 2)}\n` : SHARDS.includes(name) ? Buffer.alloc(SHARD_BYTES, SHARDS.indexOf(name) + 1) : `# ${name} (simulated)\n`;
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** What the tests need of a session: one command, its exit code. */
interface CommandRunner {
  run(command: ReturnType<typeof sh>): Promise<{ code: number | null }>;
}

/**
 * Step 2 the short way: pulls the guide's image and starts its container with the work dir
 * mounted at the same path (the guide allows both dirs to be one). Throws on a failed command.
 */
export async function startGuideContainer(session: CommandRunner, workDir: string, name = modelartsQwenVl6310.defaults.containerName): Promise<void> {
  const image = modelartsQwenVl6310.defaults.image;
  for (const command of [sh`docker pull ${image}`, sh`docker run -itd --name ${name} -v ${`${workDir}:${workDir}`} ${image} /bin/bash`]) {
    const { code } = await session.run(command);
    if (code !== 0) throw new Error(`${command.text} exited ${code}`);
  }
}

/** Step 6's form as the tests fill it: one node, one epoch, the weights and dataset under `containerWorkDir`. */
export function testTrainingForm(containerWorkDir: string, epochs = '1'): TrainingForm {
  return {
    model: `${containerWorkDir}/Qwen-VL-Chat`,
    data: `${containerWorkDir}/data/train.json`,
    outputDir: 'output_qwen',
    epochs,
    batchSize: '1',
    gradientAccumulation: '16',
    learningRate: '1e-5',
    saveSteps: '1000',
    deepspeed: 'finetune/ds_config_zero3.json',
    fixPrefetchBucket: true,
    gpusPerNode: '8',
    nnodes: '1',
    nodeRank: '0',
    masterAddr: 'localhost',
    masterPort: '6001',
  };
}
