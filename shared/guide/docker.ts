/**
 * What the docker CLI prints for `docker -v`, `docker info`, `docker images` and `docker ps`.
 * Lists are read from `--format '{{json .}}'` lines where we choose the command; the `docker images`
 * table is read too, by its header names, since that is what the guide tells users to run.
 */
import { z } from 'zod';
import { sh } from '../remote/remoteCommand';

export const DOCKER_VERSION = sh`docker -v`;
/** Answers only when the daemon runs; also says where images are stored. */
export const DOCKER_INFO = sh`docker info`;

export interface DockerVersion {
  readonly version: string;
  readonly build: string;
  readonly line: string;
}

/** `docker -v`: "Docker version 18.09.0, build 05c4df4". */
export function parseDockerVersion(text: string): DockerVersion | null {
  const match = /^Docker version ([^,\s]+), build (\S+)/m.exec(text);
  if (!match) return null;
  return { version: match[1] ?? '', build: match[2] ?? '', line: match[0] };
}

export interface DockerInfo {
  readonly serverVersion: string | null;
  /** Where images and containers are stored: the disk the image needs room on. */
  readonly rootDir: string | null;
  readonly lines: readonly string[];
}

/** `docker info`: the server part is printed only when the daemon answered. */
export function parseDockerInfo(text: string): DockerInfo {
  const lines: string[] = [];
  const value = (key: string): string | null => {
    const match = new RegExp(`^\\s*${key}:\\s*(.+?)\\s*$`, 'm').exec(text);
    if (!match) return null;
    lines.push(match[0].trim());
    return match[1] ?? null;
  };
  return { serverVersion: value('Server Version'), rootDir: value('Docker Root Dir'), lines };
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** Docker's humanised sizes ("96.4MB", "36.45kB", "170B") are decimal; "MiB" and the like binary. */
export function parseDockerSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?i?[bB])\s*$/.exec(text);
  if (!match) return null;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  return factor === undefined ? null : Math.round(Number(match[1]) * factor);
}

export interface DockerImage {
  readonly repository: string;
  readonly tag: string;
  readonly id: string;
  readonly digest: string | null;
  readonly created: string;
  readonly size: string;
  readonly sizeBytes: number | null;
}

const ImageLine = z.object({
  Repository: z.string(),
  Tag: z.string(),
  ID: z.string(),
  Digest: z.string().optional(),
  CreatedSince: z.string().optional(),
  CreatedAt: z.string().optional(),
  Size: z.string(),
});

const noneToNull = (value: string | undefined): string | null => (value === undefined || value === '<none>' ? null : value);

function image(fields: { repository: string; tag: string; id: string; digest: string | undefined; created: string; size: string }): DockerImage {
  return { ...fields, digest: noneToNull(fields.digest), sizeBytes: parseDockerSize(fields.size) };
}

function jsonLines(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim().startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
}

/** Columns separated by the padding of docker's tabwriter (at least two spaces); values have single spaces at most. */
function tableRows(text: string, firstHeader: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.startsWith(firstHeader));
  if (headerIndex < 0) return [];
  const headers = (lines[headerIndex] ?? '').trim().split(/\s{2,}/);
  return lines.slice(headerIndex + 1).flatMap((line) => {
    const cells = line.trim().split(/\s{2,}/);
    if (line.trim() === '' || cells.length !== headers.length) return [];
    return [Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? '']))];
  });
}

/** `docker images`, as a table (with or without --digests) or as `--format '{{json .}}'` lines. */
export function parseDockerImages(text: string): DockerImage[] {
  const json = jsonLines(text);
  if (json.length > 0) {
    return json.flatMap((value) => {
      const line = ImageLine.safeParse(value);
      if (!line.success) return [];
      const { Repository, Tag, ID, Digest, CreatedSince, CreatedAt, Size } = line.data;
      return [image({ repository: Repository, tag: Tag, id: ID, digest: Digest, created: CreatedSince ?? CreatedAt ?? '', size: Size })];
    });
  }
  return tableRows(text, 'REPOSITORY').map((row) =>
    image({
      repository: row.REPOSITORY ?? '',
      tag: row.TAG ?? '',
      id: row['IMAGE ID'] ?? '',
      digest: row.DIGEST,
      created: row.CREATED ?? '',
      size: row.SIZE ?? '',
    }),
  );
}

const CONTAINER_STATES = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number] | 'unknown';

function isContainerState(value: string): value is ContainerState {
  return (CONTAINER_STATES as readonly string[]).includes(value);
}

/** The state from the STATUS text, for 2018-era clients (docker 18.09) whose JSON has no State. */
function containerStateFromStatus(status: string): ContainerState {
  if (/^Up\b.*\(Paused\)/.test(status)) return 'paused';
  if (/^Up\b/.test(status)) return 'running';
  if (/^Exited\b/.test(status)) return 'exited';
  if (/^Created\b/.test(status)) return 'created';
  if (/^Restarting\b/.test(status)) return 'restarting';
  if (/^Removal In Progress\b/.test(status)) return 'removing';
  if (/^Dead\b/.test(status)) return 'dead';
  return 'unknown';
}

export function normalizeContainerState(state: string | undefined, status: string): ContainerState {
  const lower = state?.toLowerCase();
  return lower !== undefined && isContainerState(lower) ? lower : containerStateFromStatus(status);
}

export interface DockerContainer {
  readonly id: string;
  readonly names: readonly string[];
  readonly image: string;
  readonly state: ContainerState;
  readonly status: string;
  /** Host sources, cut with "…" unless --no-trunc. */
  readonly mounts: readonly string[];
  readonly networks: string;
}

const PsLine = z.object({
  ID: z.string(),
  Names: z.string(),
  Image: z.string(),
  State: z.string().optional(),
  Status: z.string(),
  Mounts: z.string().optional(),
  Networks: z.string().optional(),
});

/** `docker ps -a --format '{{json .}}'`. */
export function parseDockerPs(text: string): DockerContainer[] {
  return jsonLines(text).flatMap((value) => {
    const line = PsLine.safeParse(value);
    if (!line.success) return [];
    const { ID, Names, Image, State, Status, Mounts = '', Networks = '' } = line.data;
    return [
      {
        id: ID,
        names: Names.split(',').filter(Boolean),
        image: Image,
        state: normalizeContainerState(State, Status),
        status: Status,
        mounts: Mounts.split(',').filter(Boolean),
        networks: Networks,
      },
    ];
  });
}
