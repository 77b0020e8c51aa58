import { randomUUID } from 'node:crypto';
import { HostProfile, HostProfileFields } from '../../../../shared/hosts/hostProfile';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import type { HostsRepository } from './hostsRepository';

export class HostNotFoundError extends Error {
  constructor(id: string) {
    super(`No host with id ${id}.`);
  }
}

/** The saved host profiles; invalid stored entries are dropped with a note rather than failing all. */
export class HostProfiles {
  private profiles: Promise<HostProfile[]> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  readonly problems: string[] = [];

  constructor(
    private readonly repository: HostsRepository,
    private readonly onChange: (profiles: HostProfile[]) => void,
  ) {}

  list(): Promise<HostProfile[]> {
    this.profiles ??= this.repository.load().then((stored) => {
      const valid: HostProfile[] = [];
      for (const [index, entry] of (Array.isArray(stored) ? stored : []).entries()) {
        const parsed = HostProfile.safeParse(entry);
        if (parsed.success) valid.push(parsed.data);
        else this.problems.push(`Saved host #${index + 1} was ignored: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      }
      return valid;
    });
    return this.profiles;
  }

  async get(id: HostId): Promise<HostProfile> {
    const profile = (await this.list()).find((candidate) => candidate.id === id);
    if (!profile) throw new HostNotFoundError(id);
    return profile;
  }

  add(fields: HostProfileFields): Promise<HostProfile> {
    return this.mutate((profiles) => {
      const profile = HostProfile.parse({ ...HostProfileFields.parse(fields), id: randomUUID() });
      return [[...profiles, profile], profile];
    });
  }

  update(id: HostId, fields: HostProfileFields): Promise<HostProfile> {
    return this.mutate((profiles) => {
      if (!profiles.some((profile) => profile.id === id)) throw new HostNotFoundError(id);
      const updated = HostProfile.parse({ ...HostProfileFields.parse(fields), id });
      return [profiles.map((profile) => (profile.id === id ? updated : profile)), updated];
    });
  }

  remove(id: HostId): Promise<void> {
    return this.mutate((profiles) => [profiles.filter((profile) => profile.id !== id), undefined]);
  }

  /** Changes apply one at a time, so two quick edits cannot overwrite each other. */
  private mutate<T>(change: (profiles: HostProfile[]) => [HostProfile[], T]): Promise<T> {
    const next = this.queue.then(async () => {
      const [profiles, result] = change(await this.list());
      await this.repository.save(profiles);
      this.profiles = Promise.resolve(profiles);
      this.onChange(profiles);
      return result;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
