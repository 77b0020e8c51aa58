/**
 * Which /dev/davinciN each container holds, from `docker inspect`. The guide: "不要将多个容器绑到
 * 同一个NPU上,会导致后续的容器无法正常使用NPU功能。" Only containers that are up hold a card; a
 * privileged one holds every card while listing none, and one started by Ascend Docker Runtime
 * lists none but names its cards in ASCEND_VISIBLE_DEVICES.
 */
import { z } from 'zod';
import { sh } from '../remote/remoteCommand';
import type { ContainerState } from './docker';
import { normalizeContainerState } from './docker';

export interface ContainerDevices {
  /** Without docker's leading "/". */
  readonly name: string;
  readonly state: ContainerState;
  readonly privileged: boolean;
  /** PathOnHost of every --device. */
  readonly devices: readonly string[];
  /** From ASCEND_VISIBLE_DEVICES in the container's environment, when set. */
  readonly visibleNpus: readonly number[] | null;
  readonly runtime: string | null;
  readonly shmSizeBytes: number | null;
  readonly networkMode: string | null;
}

const Device = z.object({ PathOnHost: z.string() });
const DeviceList = z.array(Device).nullable();

const InspectObject = z.object({
  Name: z.string(),
  State: z.object({ Status: z.string() }).optional(),
  HostConfig: z
    .object({
      Privileged: z.boolean().optional(),
      Devices: DeviceList.optional(),
      Runtime: z.string().optional(),
      ShmSize: z.number().optional(),
      NetworkMode: z.string().optional(),
    })
    .optional(),
  Config: z.object({ Env: z.array(z.string()).nullable().optional() }).optional(),
});

/** The command the wizard runs: every container, full JSON (xargs may split it into several arrays). */
export const INSPECT_ALL_CONTAINERS = sh`docker ps -aq --no-trunc | xargs -r docker inspect`;

const DAVINCI = /^\/dev\/davinci(\d+)$/;

function npuOfDevice(path: string): number | null {
  const match = DAVINCI.exec(path);
  return match ? Number(match[1]) : null;
}

/** "4,5" or "0-3,6" (Ascend Docker Runtime's syntax). */
function parseVisibleDevices(env: readonly string[]): number[] | null {
  const entry = env.find((item) => item.startsWith('ASCEND_VISIBLE_DEVICES='));
  if (entry === undefined) return null;
  return entry
    .slice('ASCEND_VISIBLE_DEVICES='.length)
    .split(',')
    .flatMap((part) => {
      const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
      if (!range) return [];
      const from = Number(range[1]);
      const to = range[2] === undefined ? from : Number(range[2]);
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
    });
}

const stripSlash = (name: string): string => name.replace(/^\//, '');

function fromObject(object: z.infer<typeof InspectObject>): ContainerDevices {
  const host = object.HostConfig;
  return {
    name: stripSlash(object.Name),
    state: normalizeContainerState(object.State?.Status, ''),
    privileged: host?.Privileged ?? false,
    devices: (host?.Devices ?? []).map((device) => device.PathOnHost),
    visibleNpus: parseVisibleDevices(object.Config?.Env ?? []),
    runtime: host?.Runtime ?? null,
    shmSizeBytes: host?.ShmSize ?? null,
    networkMode: host?.NetworkMode ?? null,
  };
}

/** Several pretty-printed top-level arrays (one per docker inspect run) become one. */
function joinArrays(text: string): string {
  return text.replace(/\n\]\s*\n\[\n/g, ',\n');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `--format '{{.Name}} privileged={{.HostConfig.Privileged}} devices={{json .HostConfig.Devices}}
 * env={{json .Config.Env}} runtime=… state=… shm=… netmode=…'`, one line per container.
 */
function fromFormatLine(line: string): ContainerDevices | null {
  const match = /^(\/?\S+) privileged=(true|false) devices=(\[.*?\]|null) env=(\[.*?\]|null) runtime=(\S*) state=(\S+) shm=(\d+) netmode=(\S+)$/.exec(line.trim());
  if (!match) return null;
  const [, name = '', privileged, devices = 'null', env = 'null', runtime = '', state, shm, netmode = ''] = match;
  const deviceList = DeviceList.safeParse(parseJson(devices));
  const envList = z.array(z.string()).nullable().safeParse(parseJson(env));
  return {
    name: stripSlash(name),
    state: normalizeContainerState(state, ''),
    privileged: privileged === 'true',
    devices: deviceList.success ? (deviceList.data ?? []).map((device) => device.PathOnHost) : [],
    visibleNpus: parseVisibleDevices(envList.success ? (envList.data ?? []) : []),
    runtime: runtime || null,
    shmSizeBytes: Number(shm),
    networkMode: netmode,
  };
}

/** `docker inspect` output: full JSON for one or more containers, or the one-line format above. */
export function parseDockerInspect(text: string): ContainerDevices[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const objects = z.array(z.unknown()).safeParse(parseJson(joinArrays(trimmed)));
    if (!objects.success) return [];
    return objects.data.flatMap((value) => {
      const object = InspectObject.safeParse(value);
      return object.success ? [fromObject(object.data)] : [];
    });
  }
  return trimmed.split(/\r?\n/).flatMap((line) => {
    const container = fromFormatLine(line);
    return container ? [container] : [];
  });
}

/** `docker inspect --format '{{json .HostConfig.Devices}}' NAME`: the host paths. */
export function parseDeviceList(text: string): string[] {
  const list = DeviceList.safeParse(parseJson(text.trim()));
  return list.success ? (list.data ?? []).map((device) => device.PathOnHost) : [];
}

export interface NpuBinding {
  readonly container: string;
  readonly npus: readonly number[] | 'all';
  readonly via: 'privileged' | 'devices' | 'ascend-runtime';
}

/** States in which a container has its devices open. Created and exited ones hold nothing. */
const HOLDING_STATES: readonly ContainerState[] = ['running', 'paused', 'restarting'];

export function npuBindings(containers: readonly ContainerDevices[]): NpuBinding[] {
  return containers.flatMap((container): NpuBinding[] => {
    if (!HOLDING_STATES.includes(container.state)) return [];
    if (container.privileged) return [{ container: container.name, npus: 'all', via: 'privileged' }];
    const npus = container.devices.map(npuOfDevice).filter((npu): npu is number => npu !== null);
    if (npus.length > 0) return [{ container: container.name, npus, via: 'devices' }];
    if (container.visibleNpus && container.visibleNpus.length > 0) return [{ container: container.name, npus: container.visibleNpus, via: 'ascend-runtime' }];
    return [];
  });
}

/** Names of the containers holding /dev/davinci`npu`. */
export function holdersOf(npu: number, bindings: readonly NpuBinding[]): string[] {
  return bindings.filter((binding) => binding.npus === 'all' || binding.npus.includes(npu)).map((binding) => binding.container);
}
