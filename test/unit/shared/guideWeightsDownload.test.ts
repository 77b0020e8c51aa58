import { describe, expect, it } from 'vitest';
import { compactHubDownload, describeDownloadFailure, hubDownloadProgress } from '../../../shared/guide/weightsDownload';

// huggingface-cli's stderr as tqdm draws it into a pipe: each bar redrawn after a \r, a newline
// when a bar closes, the "Fetching N files" bar for the whole, the folder on stdout at the end.
const frame = (name: string, percent: number, done: string, total: string) => `\r${name}: ${String(percent).padStart(3)}%|${'█'.repeat(percent / 10).padEnd(10)}| ${done}/${total} [00:01<00:02, 41.2MB/s]`;
const download = [
  `${frame('Fetching 3 files', 0, '0', '3')}\n`,
  frame('config.json', 0, '0.00', '1.13k'),
  `${frame('config.json', 100, '1.13k', '1.13k')}\n`,
  `${frame('Fetching 3 files', 30, '1', '3')}\n`,
  frame('pytorch_model-00001-of-00010.bin', 20, '393M', '1.96G'),
  frame('pytorch_model-00001-of-00010.bin', 45, '887M', '1.96G'),
  frame('pytorch_model-00002-of-00010.bin', 10, '193M', '1.93G'),
].join('');
const ending = [
  `${frame('pytorch_model-00001-of-00010.bin', 100, '1.96G', '1.96G')}\n`,
  `${frame('pytorch_model-00002-of-00010.bin', 100, '1.93G', '1.93G')}\n`,
  `${frame('Fetching 3 files', 100, '3', '3')}\n`,
  '/home/ma-user/ws/Qwen-VL-Chat\n',
].join('');

describe('the weights download’s progress', () => {
  it('shows each file’s bar with its bytes, and the whole by files fetched and files under way', () => {
    const progress = hubDownloadProgress(download);
    expect(progress.parts.map((part) => [part.id, part.fraction, part.status.en])).toEqual([
      ['config.json', 1, 'Done'],
      ['pytorch_model-00001-of-00010.bin', 0.45, 'Downloading'],
      // Its only frame has no end yet: it is still being drawn.
    ]);
    expect(progress.parts[1]).toMatchObject({ current: 887e6, total: 1.96e9 });
    expect(progress.fraction).toBeCloseTo((1 + 0.45) / 3, 6);
    expect(progress.lines).toEqual([]);
  });

  it('ends at 1 with the folder it printed', () => {
    const progress = hubDownloadProgress(download + ending);
    expect(progress.fraction).toBe(1);
    expect(progress.parts.every((part) => part.fraction === 1)).toBe(true);
    expect(progress.parts.map((part) => part.id)).toEqual(['config.json', 'pytorch_model-00001-of-00010.bin', 'pytorch_model-00002-of-00010.bin']);
    expect(progress.lines).toEqual(['/home/ma-user/ws/Qwen-VL-Chat']);
  });

  it('reads the same from the compacted output at every point of the download', () => {
    const text = download + ending;
    for (let end = 0; end <= text.length; end += 7) {
      const prefix = text.slice(0, end);
      const compacted = compactHubDownload(prefix);
      expect(hubDownloadProgress(compacted)).toEqual(hubDownloadProgress(prefix));
      expect(compactHubDownload(compacted)).toBe(compacted);
    }
    expect(compactHubDownload(text).length).toBeLessThan(text.length);
  });
});

describe('a failed weights download', () => {
  const failed = (stderr: string) => describeDownloadFailure({ stdout: '', stderr, code: 1 });

  it('says the container cannot reach the Hub, from what huggingface_hub raises offline', () => {
    const offline = [
      "requests.exceptions.ConnectionError: (MaxRetryError(\"HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /api/models/Qwen/Qwen-VL-Chat/revision/main (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0xffff8c3b2d10>: Failed to establish a new connection: [Errno 101] Network is unreachable'))\"), '(Request ID: 6b0c5e2a)')",
      'huggingface_hub.errors.LocalEntryNotFoundError: An error happened while trying to locate the files on the Hub and we cannot find the appropriate snapshot folder for the specified revision on the local disk. Please check your internet connection and try again.',
    ].join('\n');
    expect(failed(offline)?.en).toMatch(/^The container cannot reach huggingface\.co/);
    expect(failed(offline)?.zh).toContain('HF_ENDPOINT');
  });

  it('names a missing huggingface-cli and an unknown repository, and nothing else', () => {
    expect(failed('bash: huggingface-cli: command not found')?.en).toMatch(/^The container has no huggingface-cli/);
    expect(failed('Repository Not Found for url: https://huggingface.co/api/models/Qwen/Qwen-VL-Chat/revision/main.')?.en).toMatch(/^HuggingFace has no Qwen\/Qwen-VL-Chat/);
    expect(failed('OSError: [Errno 28] No space left on device')).toBeNull();
  });
});
