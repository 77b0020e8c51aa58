import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import { TransferJob } from '../../../../shared/transfers/transferJob';
import type { TransferRequest } from '../../../../shared/transfers/transferJob';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { SshSession } from '../ssh/sshSession';
import { downloadPath, uploadPath } from './transferJob';
import { siblingConnections } from './transferLinks';

export interface TransfersDeps {
  session(hostId: HostId): Promise<SshSession>;
  onUpdate(job: TransferJob): void;
  /** Where the job list survives a restart; undefined keeps it in memory (CLI). */
  file?: string;
}

const KEEP_FINISHED = 50;

/**
 * Runs uploads and downloads for the UI and remembers them: a job that was running when the app
 * stopped comes back as "interrupted", and starting it again resumes from the partial file.
 */
export class TransfersService {
  private readonly jobs = new Map<string, TransferJob>();
  private readonly controllers = new Map<string, AbortController>();
  private loaded: Promise<void> | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly deps: TransfersDeps) {}

  async list(): Promise<TransferJob[]> {
    await this.load();
    return [...this.jobs.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  async start(request: TransferRequest): Promise<TransferJob> {
    await this.load();
    const job: TransferJob = { ...request, jobId: randomUUID(), state: 'running', progress: null, summary: null, error: null, startedAt: Date.now() };
    const controller = new AbortController();
    this.controllers.set(job.jobId, controller);
    this.update(job);
    void this.run(job, controller.signal);
    return job;
  }

  cancel(jobId: string): void {
    this.controllers.get(jobId)?.abort();
  }

  private async run(job: TransferJob, signal: AbortSignal): Promise<void> {
    let current = job;
    try {
      const session = await this.deps.session(job.hostId);
      const options = { signal, onProgress: (progress: TransferJob['progress']) => (current = this.update({ ...current, progress })) };
      const summary = job.direction === 'upload' ? await uploadPath(session, job.localPath, job.remotePath, { ...options, connections: siblingConnections(session) }) : await downloadPath(session, job.remotePath, job.localPath, options);
      current = this.update({ ...current, state: 'done', summary });
    } catch (error) {
      current = this.update({ ...current, state: signal.aborted ? 'cancelled' : 'failed', error: signal.aborted ? null : error instanceof Error ? error.message : String(error) });
    } finally {
      this.controllers.delete(job.jobId);
    }
  }

  private update(job: TransferJob): TransferJob {
    this.jobs.set(job.jobId, job);
    this.deps.onUpdate(job);
    if (job.state !== 'running' || job.progress === null) this.persist();
    return job;
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.deps.file) return;
      const stored = await readFile(this.deps.file, 'utf8').then(storedJobs, () => []);
      for (const entry of stored) {
        const parsed = TransferJob.safeParse(entry);
        if (!parsed.success) continue;
        const job = parsed.data.state === 'running' ? { ...parsed.data, state: 'interrupted' as const } : parsed.data;
        this.jobs.set(job.jobId, job);
      }
    })();
    return this.loaded;
  }

  private persist(): void {
    const file = this.deps.file;
    if (!file) return;
    const jobs = [...this.jobs.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, KEEP_FINISHED);
    this.saving = this.saving.then(() => writeFileAtomic(file, `${JSON.stringify({ jobs }, null, '\t')}\n`)).catch(() => undefined);
  }
}

/** The saved list, or nothing when the file is not ours: a damaged list must not stop transfers. */
function storedJobs(text: string): unknown[] {
  try {
    const saved: unknown = JSON.parse(text);
    const jobs = typeof saved === 'object' && saved !== null ? (saved as { jobs?: unknown }).jobs : undefined;
    return Array.isArray(jobs) ? jobs : [];
  } catch {
    return [];
  }
}
