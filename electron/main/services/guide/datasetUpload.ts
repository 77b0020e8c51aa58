import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { UploadPlan } from '../../../../shared/dataset/workspaceApi';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import { hostPathOf } from '../../../../shared/guide/workPaths';
import type { SshSession } from '../ssh/sshSession';
import { uploadPath } from '../transfer/transferJob';

export interface PlannedUpload {
  /** Local file → its path on the host (the container path through the work dir mount). */
  readonly files: readonly { local: string; host: string }[];
  readonly datasetHost: string;
}

/** The plan's container paths as host paths; what stops the upload (errors of the plan, a path outside the mount) as field errors. */
export function hostUpload(plan: UploadPlan, params: GuideParams): { upload: PlannedUpload | null; errors: FieldError[] } {
  const errors: FieldError[] = plan.problems.filter((problem) => problem.severity === 'error').map((problem) => ({ field: '', message: { zh: problem.message, en: problem.message } }));
  const datasetHost = hostPathOf(params, plan.remoteDataset);
  const files = plan.files.map((file) => ({ local: file.local, host: hostPathOf(params, file.remote) }));
  if (datasetHost === null || files.some((file) => file.host === null)) {
    errors.push({ field: '', message: { zh: '目标不在工作目录的挂载范围内。', en: 'The target is outside the work dir mount.' } });
  }
  if (errors.length > 0 || datasetHost === null) return { upload: null, errors };
  return { upload: { datasetHost, files: files.flatMap((file) => (file.host === null ? [] : [{ local: file.local, host: file.host }])) }, errors };
}

/**
 * Sends the images first, then the dataset with its rewritten paths: a dataset on the server never
 * points at images that are not there yet. Every file goes through the verified, resumable upload.
 */
export async function sendDataset(session: SshSession, upload: PlannedUpload, datasetText: string, onFile: (done: number, total: number, file: string) => void, signal: AbortSignal): Promise<void> {
  const total = upload.files.length + 1;
  for (const [index, file] of upload.files.entries()) {
    onFile(index, total, file.host);
    await uploadPath(session, file.local, file.host, { signal });
  }
  onFile(total - 1, total, upload.datasetHost);
  const dir = await mkdtemp(join(tmpdir(), 'qvl-dataset-'));
  try {
    const local = join(dir, posix.basename(upload.datasetHost));
    await writeFile(local, datasetText);
    await uploadPath(session, local, upload.datasetHost, { signal });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  onFile(total, total, upload.datasetHost);
}
