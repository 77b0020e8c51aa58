/**
 * Uploading a dataset with its images (the wizard's Step 5): which local files go where under the
 * container's data folder, and the dataset's text with every image path rewritten to where its
 * file lands. Training resolves relative paths against its own working folder, not the dataset's,
 * so the rewritten paths are absolute. Images inside the dataset's folder keep their place
 * relative to it; others go to `images/` under the target, renamed `name-2.jpg`… when two
 * different files share a name. Only the changed paths are spliced into the text.
 */

import { basename, extname, posix, relative, sep } from 'node:path';
import type { DatasetDocument } from '../../../../shared/dataset/datasetDocument';
import { saveDataset } from '../../../../shared/dataset/datasetDocument';
import type { DatasetProblem } from '../../../../shared/dataset/datasetProblems';
import { problem } from '../../../../shared/dataset/datasetProblems';
import type { ImageFacts } from '../../../../shared/dataset/imageFacts';
import type { EditableSample } from '../../../../shared/dataset/sampleModel';
import { sampleIdText } from '../../../../shared/dataset/sampleModel';
import { parseConversation } from '../../../../shared/dataset/conversationCodec';
import { utf8ByteLength } from '../../../../shared/dataset/utf8';
import { MAX_IMAGE_PATH_BYTES } from '../../../../shared/dataset/validateDataset';
import type { UploadPlan } from '../../../../shared/dataset/workspaceApi';
import { isInside, resolveImagePath, rewriteImagePaths } from './workspacePaths';

export interface UploadPlanInput {
  document: DatasetDocument;
  samples: readonly EditableSample[];
  /** The dataset file, absolute. */
  file: string;
  folder: string;
  targetDir: string;
  /** Facts about a local image (absolute path). */
  facts: (absolute: string) => ImageFacts;
}

/** `name.jpg`, `name-2.jpg`, `name-3.jpg`… : the first of them not in `taken`. */
function freeName(dir: string, name: string, taken: ReadonlySet<string>): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = posix.join(dir, name);
  for (let n = 2; taken.has(candidate); n++) candidate = posix.join(dir, `${stem}-${n}${extension}`);
  return candidate;
}

/** Remote paths for local files: those inside the dataset's folder first, so their places win. */
function assignRemotePaths(files: readonly string[], folder: string, targetDir: string, taken: Set<string>): Map<string, string> {
  const remote = new Map<string, string>();
  const inside = files.filter((file) => isInside(folder, file));
  for (const file of inside) {
    const path = posix.join(targetDir, relative(folder, file).split(sep).join('/'));
    remote.set(file, path);
    taken.add(path);
  }
  for (const file of files) {
    if (remote.has(file)) continue;
    const path = freeName(posix.join(targetDir, 'images'), basename(file), taken);
    remote.set(file, path);
    taken.add(path);
  }
  return remote;
}

export function planUpload(input: UploadPlanInput): UploadPlan {
  const { document, samples, file, folder, targetDir } = input;
  const remoteDataset = posix.join(targetDir, basename(file));
  const parsed = samples.map((sample) => parseConversation(sample.turns.map((turn) => turn.value)));
  const locals = new Set<string>();
  for (const conversation of parsed) {
    for (const { segment } of conversation.pictures) {
      const absolute = resolveImagePath(folder, segment.path);
      if (absolute !== null) locals.add(absolute);
    }
  }
  const remote = assignRemotePaths([...locals], folder, targetDir, new Set([remoteDataset]));
  const problems: DatasetProblem[] = [];
  const files: UploadPlan['files'] = [];
  for (const [local, path] of remote) {
    const facts = input.facts(local);
    if (facts.exists) files.push({ local, remote: path });
  }
  const rewritten = samples.map((sample, index) => {
    const id = sampleIdText(sample);
    const conversation = parsed[index] ?? parseConversation([]);
    for (const { turn, segment } of conversation.pictures) {
      const absolute = resolveImagePath(folder, segment.path);
      const path = absolute === null ? undefined : remote.get(absolute);
      if (absolute === null || path === undefined) continue;
      const where = { sample: index, id, turn, offset: segment.pathStart, length: segment.pathEnd - segment.pathStart };
      if (!input.facts(absolute).exists) problems.push(problem('image-missing', where, `The image ${segment.path} does not exist here, so it cannot be uploaded: training stops with FileNotFoundError when it reaches this sample.`, { path: segment.path }));
      const bytes = utf8ByteLength(path);
      if (bytes > MAX_IMAGE_PATH_BYTES) {
        problems.push(problem('image-path-too-long', where, `On the server the path ${path} is ${bytes} UTF-8 bytes; the tokenizer refuses more than ${MAX_IMAGE_PATH_BYTES} inside <img>…</img>. Choose a shorter target folder or shorter file names.`, { path, bytes, limit: MAX_IMAGE_PATH_BYTES }));
      }
    }
    return rewriteImagePaths(
      sample,
      (written) => {
        const absolute = resolveImagePath(folder, written);
        return absolute === null ? null : (remote.get(absolute) ?? null);
      },
      conversation,
    );
  });
  const uploaded = files.sort((a, b) => (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : 0));
  return { files: uploaded, remoteDataset, datasetText: saveDataset(document, rewritten), problems };
}
