/**
 * Step 4's other way to the weights: "从HuggingFace下载Qwen-VL-Chat", inside the container (which
 * needs the internet, as the install script does) with huggingface-cli. Its progress is read from
 * the tqdm bars huggingface_hub draws on stderr — one per file, redrawn with \r, and a
 * "Fetching N files" bar for the whole — and a failure is put in words the user can act on.
 */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import type { ActionProgress, CommandOutput, ItemFix, ProgressPart, ProgressReader } from './guideTypes';
import { WEIGHTS_DIR, inContainer } from './workPaths';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
/** `name:  45%|████▌     | 887M/1.96G [00:20<00:24, 44.1MB/s]`; tqdm's unit_scale counts in 1000s. */
const BAR = /^(.+?):\s+(\d{1,3})%\|[^|]*\|\s*([\d.]+)([kMGTP]?)\w*\/([\d.]+)([kMGTP]?)\w*/;
const FETCHING = /^Fetching (\d+) files$/;
/** Enough for the folder printed at the end, or the last lines of a traceback. */
const KEPT_LINES = 6;
const SCALE: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

interface Bar {
  readonly name: string;
  readonly percent: number;
  readonly current: number;
  readonly total: number;
}

function readBar(segment: string): Bar | null {
  const match = BAR.exec(segment);
  if (!match) return null;
  const [, name = '', percent = '0', current = '0', currentUnit = '', total = '0', totalUnit = ''] = match;
  return { name: name.trim(), percent: Number(percent), current: Number(current) * (SCALE[currentUnit] ?? 1), total: Number(total) * (SCALE[totalUnit] ?? 1) };
}

/** The complete segments (split at \r and \n): a bar still being drawn waits for its end. */
function segments(textSoFar: string): string[] {
  const parts = textSoFar.replace(ANSI, '').split(/\r\n|\r|\n/);
  parts.pop();
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

const DOWNLOADING: LocalizedText = { zh: '下载中', en: 'Downloading' };
const DONE: LocalizedText = { zh: '完成', en: 'Done' };

/**
 * Files as parts, in the order their bars appeared; the total by files fetched, the files under
 * way counting by their own fraction (the shards' sizes are unknown until their bars appear).
 */
export function hubDownloadProgress(textSoFar: string): ActionProgress {
  const files = new Map<string, Bar>();
  const lines: string[] = [];
  let fetched: { done: number; total: number } | null = null;
  for (const segment of segments(textSoFar)) {
    const bar = readBar(segment);
    const fetching = bar ? FETCHING.exec(bar.name) : null;
    if (bar && fetching) fetched = { done: bar.current, total: Number(fetching[1]) };
    else if (bar) files.set(bar.name, bar);
    else lines.push(segment);
  }
  const parts: ProgressPart[] = [...files.values()].map((file) => ({ id: file.name, status: file.percent >= 100 ? DONE : DOWNLOADING, fraction: file.percent / 100, current: file.current, total: file.total }));
  const underWay = parts.filter((part) => part.fraction < 1).reduce((sum, part) => sum + part.fraction, 0);
  const fraction = fetched && fetched.total > 0 ? Math.min(1, (fetched.done + underWay) / fetched.total) : 0;
  return { fraction, parts, lines: lines.slice(-KEPT_LINES) };
}

/**
 * Of each bar its first frame (the order the files appeared in) and its last; every other line as
 * it was: hubDownloadProgress reads the same from it. A bar redraws ten times a second, so hours
 * of download shrink to two lines per file.
 */
export function compactHubDownload(textSoFar: string): string {
  const end = Math.max(textSoFar.lastIndexOf('\n'), textSoFar.lastIndexOf('\r')) + 1;
  const kept = segments(textSoFar.slice(0, end));
  const firstOf = new Map<string, number>();
  const lastOf = new Map<string, number>();
  kept.forEach((segment, index) => {
    const bar = readBar(segment);
    if (!bar) return;
    if (!firstOf.has(bar.name)) firstOf.set(bar.name, index);
    lastOf.set(bar.name, index);
  });
  const keep = kept.filter((segment, index) => {
    const bar = readBar(segment);
    return !bar || firstOf.get(bar.name) === index || lastOf.get(bar.name) === index;
  });
  return `${keep.map((segment) => `${segment}\n`).join('')}${textSoFar.slice(end)}`;
}

export const hubDownloadReader: ProgressReader = { read: hubDownloadProgress, compact: compactHubDownload };

/** What huggingface_hub prints when the container cannot reach the Hub (it then looks for a local snapshot and gives up). */
const HUB_UNREACHABLE = /Network is unreachable|Temporary failure in name resolution|Name or service not known|Connection refused|Max retries exceeded|ConnectTimeout|LocalEntryNotFoundError/;
const REPO_NOT_FOUND = /RepositoryNotFoundError|Repository Not Found/;
const NO_CLI = /huggingface-cli: (command )?not found|"huggingface-cli": executable file not found/;

export function describeDownloadFailure(output: CommandOutput): LocalizedText | null {
  const text = `${output.stderr}\n${output.stdout}`;
  if (NO_CLI.test(text)) return { zh: '容器中没有 huggingface-cli：在容器内执行 pip install -U huggingface_hub，或改为上传本地的 Qwen-VL-Chat 目录。', en: 'The container has no huggingface-cli: run pip install -U huggingface_hub in it, or upload a local Qwen-VL-Chat folder instead.' };
  if (HUB_UNREACHABLE.test(text)) {
    return {
      zh: '容器无法访问 huggingface.co：请确认第 1 步的 IP 转发已开启、代理设置正确，或用 HF_ENDPOINT 指向镜像站；也可以改为上传本地的 Qwen-VL-Chat 目录。',
      en: 'The container cannot reach huggingface.co: check that IP forwarding is on (Step 1) and the proxy settings, or point HF_ENDPOINT at a mirror; or upload a local Qwen-VL-Chat folder instead.',
    };
  }
  if (REPO_NOT_FOUND.test(text)) return { zh: 'HuggingFace 上找不到 Qwen/Qwen-VL-Chat（或需要登录）。', en: 'HuggingFace has no Qwen/Qwen-VL-Chat for this request (or it needs a login).' };
  return null;
}

export function downloadWeightsFix(): ItemFix {
  return {
    label: { zh: '在容器内下载', en: 'Download in the container' },
    explanation: {
      zh: '在容器内用 huggingface-cli 从 HuggingFace 下载 Qwen-VL-Chat（约 19.3 GB，中断后再次运行会继续）。容器需要能访问公网。',
      en: 'Download Qwen-VL-Chat from HuggingFace inside the container with huggingface-cli (about 19.3 GB; running it again resumes). The container needs internet access.',
    },
    commands: (params) => [sh`huggingface-cli download Qwen/Qwen-VL-Chat --local-dir ${inContainer(params, WEIGHTS_DIR)}`],
    confirm: false,
    recheck: true,
    // Files downloaded as the container user are its own: the owner check changes too.
    alsoRecheck: ['ownership'],
    progress: hubDownloadReader,
    describeFailure: describeDownloadFailure,
    timeoutMs: 6 * 60 * 60_000,
  };
}
