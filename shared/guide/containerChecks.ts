/**
 * Step 2's container: the guide's `docker run` started from the form (refused while another
 * container holds a chosen card or the name), then verified: it runs, and `npu-smi info` works in it.
 */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import { classifyDockerError } from './dockerErrors';
import type { DockerErrorKind } from './dockerErrors';
import type { ContainerDevices } from './dockerInspect';
import { INSPECT_ALL_CONTAINERS, parseDockerInspect } from './dockerInspect';
import { buildDockerRun, validateDockerRunForm } from './dockerRunForm';
import type { FieldError } from './fieldRules';
import type { CheckResult, CommandOutput, ItemCheck, ItemFix } from './guideTypes';
import { NPU_SMI_INFO, parseNpuSmiInfo } from './npuSmi';
import { classifyNpuSmiError } from './npuSmiErrors';

export function inspectContainer(name: string) {
  return sh`docker inspect --type container ${name}`;
}

/** The fields of `docker inspect` that say whether and how the container runs. */
const EVIDENCE_KEYS = /^\s*"(Name|Status|Privileged|PathOnHost|ShmSize|NetworkMode)":/;

function dockerFailure(output: CommandOutput, fallback: LocalizedText): CheckResult {
  const error = classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code ?? 1);
  return { status: 'fail', summary: error?.message ?? fallback, evidence: error?.evidence || failureText(output), data: error };
}

const cardsOf = (container: ContainerDevices): string[] => container.devices.filter((device) => /^\/dev\/davinci\d+$/.test(device));

function gib(bytes: number | null): string {
  return bytes === null ? '?' : `${Math.round((bytes / 1024 ** 3) * 10) / 10}g`;
}

/** The container named by the guide's ${container_name} exists and runs. */
export function containerRunningCheck(): ItemCheck {
  return {
    commands: (params) => [inspectContainer(params.containerName)],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      const error = classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code);
      if (error?.kind === 'no-such-container') {
        return {
          status: 'fail',
          summary: { zh: `还没有名为 ${params.containerName} 的容器：填写下面的表单并启动它。`, en: `There is no container named ${params.containerName} yet: fill in the form below and start it.` },
          evidence: error.evidence,
          data: error,
        };
      }
      if (output.code !== 0) return dockerFailure(output, { zh: 'docker inspect 执行失败。', en: 'docker inspect failed.' });
      const container = parseDockerInspect(output.stdout)[0];
      if (!container) return { status: 'fail', summary: { zh: '无法读取 docker inspect 的输出。', en: 'The output of docker inspect could not be read.' }, evidence: failureText(output) };
      const evidence = output.stdout
        .split(/\r?\n/)
        .filter((line) => EVIDENCE_KEYS.test(line))
        .map((line) => line.trim())
        .join('\n');
      if (container.state !== 'running') {
        return {
          status: 'fail',
          summary: {
            zh: `容器 ${container.name} 存在，但状态为 ${container.state}：用 docker start ${container.name} 启动它，或删除后重新创建。`,
            en: `Container ${container.name} exists but is ${container.state}: start it with docker start ${container.name}, or remove it and create it again.`,
          },
          evidence,
          data: container,
        };
      }
      const cards = cardsOf(container);
      const held = container.privileged ? { zh: '特权模式（全部 NPU）', en: 'privileged (every NPU)' } : { zh: `${cards.length} 张 NPU`, en: `${cards.length} NPU${cards.length === 1 ? '' : 's'}` };
      const network = container.networkMode === 'host' ? { zh: '，host 网络', en: ', host network' } : { zh: '', en: '' };
      return {
        status: 'pass',
        summary: {
          zh: `容器 ${container.name} 正在运行：${held.zh}，共享内存 ${gib(container.shmSizeBytes)}${network.zh}。`,
          en: `Container ${container.name} is running: ${held.en}, ${gib(container.shmSizeBytes)} of shared memory${network.en}.`,
        },
        evidence,
        data: container,
      };
    },
  };
}

/** Errors of `docker exec` itself: the container, not npu-smi, is what failed. */
const EXEC_ERRORS: readonly DockerErrorKind[] = ['no-such-container', 'container-not-running', 'daemon-down', 'socket-permission', 'no-such-user', 'executable-not-found'];

/** `npu-smi info` inside the container (the item's scope adds the docker exec). */
export function containerNpuSmiCheck(): ItemCheck {
  return {
    commands: () => [NPU_SMI_INFO],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      const execError = classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code);
      if (execError && EXEC_ERRORS.includes(execError.kind)) return { status: 'fail', summary: execError.message, evidence: execError.evidence, data: execError };
      const npuError = classifyNpuSmiError(output.stdout, output.stderr, output.code);
      if (npuError) {
        return { status: 'fail', summary: { zh: `${npuError.message.zh}${npuError.advice.zh}`, en: `${npuError.message.en} ${npuError.advice.en}` }, evidence: npuError.evidence, data: npuError };
      }
      const info = parseNpuSmiInfo(output.stdout);
      if (info.cards.length === 0) {
        return { status: 'fail', summary: { zh: '容器内 npu-smi info 没有列出任何 NPU。', en: 'npu-smi info lists no NPU inside the container.' }, evidence: output.stdout.trim(), data: info };
      }
      // Inside a container npu-smi keeps the host's numbers for the mounted cards.
      const npus = [...new Set(info.cards.map((card) => card.npu))];
      const unhealthy = info.cards.filter((card) => card.health !== 'OK');
      const evidence = [info.versionLine, ...info.cards.flatMap((card) => card.lines.slice(0, 1))].filter((line): line is string => line !== null).join('\n');
      if (unhealthy.length > 0) {
        return {
          status: 'warn',
          summary: {
            zh: `容器 ${params.containerName} 内 npu-smi 可用，但 NPU ${unhealthy.map((card) => card.npu).join('、')} 的状态不是 OK。`,
            en: `npu-smi works in ${params.containerName}, but NPU ${unhealthy.map((card) => card.npu).join(', ')} is not OK.`,
          },
          evidence,
          data: info,
        };
      }
      return {
        status: 'pass',
        summary: {
          zh: `容器 ${params.containerName} 内 npu-smi info 正常：可见 ${npus.length} 张 NPU（${npus.join('、')}），驱动 ${info.driverVersion ?? '未知'}。`,
          en: `npu-smi info works in ${params.containerName}: ${npus.length} NPU${npus.length === 1 ? '' : 's'} visible (${npus.join(', ')}), driver ${info.driverVersion ?? 'unknown'}.`,
        },
        evidence,
        data: info,
      };
    },
  };
}

/** What `docker ps -aq | xargs docker inspect` says about the containers already there. */
function existingContainers(output: CommandOutput): { readonly containers: ContainerDevices[]; readonly error: FieldError | null } {
  // The pipeline's status is xargs's, so a daemon that is down shows only on stderr; a container
  // removed between ps and inspect ("No such object") holds nothing and is no reason to refuse.
  const failure = classifyDockerError(output.stderr, null);
  if (failure && failure.kind !== 'no-such-container') return { containers: [], error: { field: '', message: failure.message } };
  const containers = parseDockerInspect(output.stdout);
  // Nothing, or only empty arrays ("[]" when every container listed was gone), is no container.
  if (containers.length === 0 && !/^(\s*\[\s*\])*\s*$/.test(output.stdout)) {
    return { containers, error: { field: '', message: { zh: '无法读取 docker inspect 的输出，无法确认 NPU 是否空闲。', en: 'The output of docker inspect could not be read, so the NPUs cannot be shown to be free.' } } };
  }
  return { containers, error: null };
}

/** The guide's `docker run`, built from the form; refused while a chosen card or the name is taken. */
export function startContainerFix(): ItemFix {
  return {
    label: { zh: '启动容器', en: 'Start the container' },
    explanation: {
      zh: '启动容器镜像：以下命令由表单生成，与将要执行的完全一致。启动前会用 docker inspect 确认所选的 NPU 没有被其他容器占用、容器名称未被使用。启动后检查容器正在运行，并在容器内执行 npu-smi info。',
      en: 'Start the container: the command below is built from the form and is exactly what runs. Before it starts, docker inspect confirms that no other container holds the chosen NPUs and that the name is free. After it starts, the container is checked to be running and npu-smi info is run inside it.',
    },
    commands: (params, options) => [buildDockerRun({ ...params, ...options })],
    confirm: true,
    recheck: true,
    alsoRecheck: ['container-npu'],
    precheck: {
      commands: () => [INSPECT_ALL_CONTAINERS],
      validate: (outputs, params, options) => {
        const { containers, error } = existingContainers(outputAt(outputs, 0));
        if (error) return [error];
        const validation = validateDockerRunForm({ ...params, ...options }, containers);
        return validation.ok ? [] : validation.errors;
      },
    },
    describeFailure: (output) => classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code)?.message ?? null,
  };
}
