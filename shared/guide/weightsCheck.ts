/**
 * Step 4's weights: the Qwen-VL-Chat folder of the guide's tree, checked against what training
 * loads. All 10 shards must be there; the index's weight_map must name exactly those shards; their
 * sizes must add up to at least the index's total_size (a shard cut short by an interrupted copy
 * is smaller); and no file may be a Git LFS pointer (a clone without git-lfs gives ~130-byte stubs).
 */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import { parseFileSizes } from './codePackage';
import { failureText, outputAt } from './checkOutputs';
import type { CheckResult, ItemCheck } from './guideTypes';
import { WEIGHTS_DIR, inContainer } from './workPaths';

export const SHARD_COUNT = 10;
export const SHARDS = Array.from({ length: SHARD_COUNT }, (_, index) => `pytorch_model-${String(index + 1).padStart(5, '0')}-of-${String(SHARD_COUNT).padStart(5, '0')}.bin`);
export const INDEX_FILE = 'pytorch_model.bin.index.json';
/** The guide's tree (its "generation_config.jsons" is a typo for .json). */
export const WEIGHT_FILES = [
  'config.json',
  'configuration_qwen.py',
  'generation_config.json',
  'modeling_qwen.py',
  ...SHARDS,
  INDEX_FILE,
  'qwen_generation_utils.py',
  'qwen.tiktoken',
  'README.md',
  'SimSun.ttf',
  'tokenization_qwen.py',
  'tokenizer_config.json',
  'visual.py',
];
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';
const MARKER = '@@qvl-index@@';

export interface WeightsReport {
  readonly missing: readonly string[];
  readonly lfsPointers: readonly string[];
  /** Shards the index maps weights to that are not among the 10 expected, or not in the folder. */
  readonly strayShards: readonly string[];
  /** Expected shards no weight is mapped to. */
  readonly unmappedShards: readonly string[];
  readonly indexError: string | null;
  readonly shardBytes: number;
  readonly totalSize: number | null;
}

/** Files with sizes; then the pointer stubs among the small files; then the index. */
export function weightsCommand(dir: string) {
  return sh`cd ${dir} || exit 1; find . -maxdepth 1 -type f -printf '%f\t%s\n'; find . -maxdepth 1 -type f -size -2k -exec grep -l -F ${LFS_POINTER} {} + | sed 's|^[.]/|lfs:|'; printf '%s\n' ${MARKER}; cat -- ${INDEX_FILE}`;
}

export function readWeights(stdout: string): WeightsReport {
  const at = stdout.indexOf(`${MARKER}\n`);
  const listing = at < 0 ? stdout : stdout.slice(0, at);
  const indexText = at < 0 ? '' : stdout.slice(at + MARKER.length + 1);
  const sizes = new Map(parseFileSizes(listing).map(({ name, bytes }) => [name, bytes]));
  const lfsPointers = listing.split('\n').flatMap((line) => (line.startsWith('lfs:') ? [line.slice(4)] : []));
  const missing = WEIGHT_FILES.filter((name) => !sizes.has(name));
  let indexError: string | null = null;
  let mapped = new Set<string>();
  let totalSize: number | null = null;
  try {
    const index = JSON.parse(indexText) as { weight_map?: unknown; metadata?: { total_size?: unknown } };
    if (typeof index.weight_map !== 'object' || index.weight_map === null) throw new Error('no weight_map');
    mapped = new Set(Object.values(index.weight_map).map(String));
    totalSize = typeof index.metadata?.total_size === 'number' ? index.metadata.total_size : null;
  } catch (error) {
    indexError = sizes.has(INDEX_FILE) ? (error instanceof Error ? error.message : String(error)) : null;
  }
  return {
    missing,
    lfsPointers,
    strayShards: [...mapped].filter((name) => !SHARDS.includes(name) || !sizes.has(name)),
    unmappedShards: indexError === null && sizes.has(INDEX_FILE) ? SHARDS.filter((name) => !mapped.has(name)) : [],
    indexError,
    shardBytes: SHARDS.reduce((sum, name) => sum + (sizes.get(name) ?? 0), 0),
    totalSize,
  };
}

const gb = (bytes: number) => `${Math.round(bytes / 1e8) / 10} GB`;
const list = (names: readonly string[]) => names.join(', ');

function problems(report: WeightsReport): LocalizedText[] {
  const found: LocalizedText[] = [];
  if (report.missing.length > 0) found.push({ zh: `缺少 ${report.missing.length} 个文件：${list(report.missing)}。`, en: `${report.missing.length} file${report.missing.length === 1 ? ' is' : 's are'} missing: ${list(report.missing)}.` });
  if (report.lfsPointers.length > 0) {
    found.push({ zh: `${list(report.lfsPointers)} 只是 Git LFS 指针，不是真正的文件：请安装 git-lfs 后重新下载。`, en: `${list(report.lfsPointers)} ${report.lfsPointers.length === 1 ? 'is a Git LFS pointer' : 'are Git LFS pointers'}, not the real file: install git-lfs and download again.` });
  }
  if (report.indexError) found.push({ zh: `${INDEX_FILE} 无法读取（${report.indexError}）。`, en: `${INDEX_FILE} cannot be read (${report.indexError}).` });
  if (report.strayShards.length > 0) found.push({ zh: `索引指向不存在或不该有的分片：${list(report.strayShards)}。`, en: `The index points at shards that are missing or unexpected: ${list(report.strayShards)}.` });
  if (report.unmappedShards.length > 0) found.push({ zh: `索引没有用到分片 ${list(report.unmappedShards)}：索引与分片不是同一版本。`, en: `The index maps no weight to ${list(report.unmappedShards)}: index and shards are from different versions.` });
  if (report.totalSize !== null && report.missing.every((name) => !SHARDS.includes(name)) && report.shardBytes < report.totalSize) {
    found.push({ zh: `分片共 ${report.shardBytes} 字节，少于索引记录的 ${report.totalSize} 字节：有分片没有传完整。`, en: `The shards hold ${report.shardBytes} bytes, less than the ${report.totalSize} the index records: a shard is incomplete.` });
  }
  return found;
}

export function weightsCheck(): ItemCheck {
  return {
    commands: (params) => [weightsCommand(inContainer(params, WEIGHTS_DIR))],
    parse: (outputs, params) => parseWeights(outputAt(outputs, 0), inContainer(params, WEIGHTS_DIR)),
  };
}

function parseWeights(output: { stdout: string; stderr: string; code: number | null }, dir: string): CheckResult {
  if (!output.stdout.includes(MARKER)) {
    return { status: 'fail', summary: { zh: `容器内没有权重目录 ${dir}：请上传本地的 Qwen-VL-Chat 目录，或在容器内下载。`, en: `There is no weights folder ${dir} in the container: upload your local Qwen-VL-Chat folder, or download it inside the container.` }, evidence: failureText(output) };
  }
  const report = readWeights(output.stdout);
  const found = problems(report);
  const evidence = [`${SHARD_COUNT - report.missing.filter((name) => SHARDS.includes(name)).length}/${SHARD_COUNT} shards, ${gb(report.shardBytes)}`, report.totalSize === null ? '' : `index total_size ${report.totalSize}`].filter(Boolean).join('\n');
  if (found.length > 0) return { status: 'fail', summary: { zh: found.map((text) => text.zh).join(''), en: found.map((text) => text.en).join(' ') }, evidence, data: report };
  return { status: 'pass', summary: { zh: `权重完整：${WEIGHT_FILES.length} 个文件，10 个分片与索引一致（${gb(report.shardBytes)}）。`, en: `The weights are complete: ${WEIGHT_FILES.length} files, the 10 shards match the index (${gb(report.shardBytes)}).` }, evidence, data: report };
}
