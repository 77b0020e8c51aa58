import { readFile } from 'node:fs/promises';
import { DockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import { GuideParams } from '../../../../shared/guide/guideParams';
import { HostProgress, mergeItemResults } from '../../../../shared/guide/wizardApi';
import type { ActionRecord, StepResults, WizardProgress } from '../../../../shared/guide/wizardApi';
import { HostId } from '../../../../shared/hosts/hostProfile';
import { writeFileAtomic } from '../fs/atomicWrite';

const EMPTY: HostProgress = { params: null, options: null, steps: {}, actions: [] };

/**
 * Where each host is in the guide (its answers, each step's last results, each item's last
 * action), kept in a JSON file so a restart shows it again. An action that was running when the
 * app stopped comes back as "interrupted": nothing on the server reports to us any more.
 */
export class WizardProgressStore {
  private readonly hosts = new Map<HostId, HostProgress>();
  private loaded: Promise<void> | undefined;
  private saving: Promise<void> = Promise.resolve();

  /** `file` undefined keeps the progress in memory only (tests, the CLI). */
  constructor(private readonly file?: string) {}

  async snapshot(): Promise<WizardProgress> {
    await this.load();
    return { hosts: Object.fromEntries(this.hosts) };
  }

  /** Only answers that pass their rules are kept: what a restart reads back must be usable as it is. */
  async recordAnswers(hostId: HostId, params: GuideParams, options: DockerRunOptions | null): Promise<void> {
    const validParams = GuideParams.safeParse(params);
    const validOptions = DockerRunOptions.safeParse(options);
    await this.change(hostId, (host) => ({
      ...host,
      params: validParams.success ? validParams.data : host.params,
      options: validOptions.success ? validOptions.data : host.options,
    }));
  }

  /** A whole step's check replaces its results; a re-check of some items replaces only theirs. */
  async recordResults(hostId: HostId, stepId: string, results: StepResults, scope: 'step' | 'items'): Promise<void> {
    await this.change(hostId, (host) => {
      const previous = host.steps[stepId];
      const items = scope === 'step' || !previous ? results.items : mergeItemResults(previous.items, results.items);
      const error = scope === 'step' ? results.error : (previous?.error ?? null);
      return { ...host, steps: { ...host.steps, [stepId]: { checkedAt: results.checkedAt, items, error } } };
    });
  }

  /** Kept per item, the latest only; `persist` false for progress ticks, which only the live view needs. */
  async recordAction(hostId: HostId, action: ActionRecord, persist: boolean): Promise<void> {
    await this.change(
      hostId,
      (host) => ({ ...host, actions: [...host.actions.filter((known) => known.stepId !== action.stepId || known.itemId !== action.itemId), action] }),
      persist,
    );
  }

  private async change(hostId: HostId, update: (host: HostProgress) => HostProgress, persist = true): Promise<void> {
    await this.load();
    this.hosts.set(hostId, update(this.hosts.get(hostId) ?? EMPTY));
    if (persist) this.persist();
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      if (!this.file) return;
      // No file yet, or one cut short by a crash before atomic writes: start afresh.
      const stored = await readFile(this.file, 'utf8')
        .then((text) => (JSON.parse(text) as { hosts?: Record<string, unknown> } | null)?.hosts ?? {})
        .catch(() => ({}));
      // Entries that no longer read (an older format, a hand edit) are dropped one host at a time.
      for (const [id, value] of Object.entries(stored)) {
        const hostId = HostId.safeParse(id);
        const host = HostProgress.safeParse(value);
        if (!hostId.success || !host.success) continue;
        const actions = host.data.actions.map((action) => (action.state === 'running' ? { ...action, state: 'interrupted' as const } : action));
        this.hosts.set(hostId.data, { ...host.data, actions });
      }
    })();
    return this.loaded;
  }

  private persist(): void {
    const file = this.file;
    if (!file) return;
    const text = `${JSON.stringify({ hosts: Object.fromEntries(this.hosts) }, null, '\t')}\n`;
    this.saving = this.saving.then(() => writeFileAtomic(file, text)).catch(() => undefined);
  }

  /** Resolves once every change so far is on disk (tests, shutdown). */
  flushed(): Promise<void> {
    return this.saving;
  }
}
