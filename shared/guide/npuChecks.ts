/**
 * Checks on the NPUs, built from a guide's numbers (how many cards, which driver). All four read
 * `npu-smi info`, which runs once for them.
 */
import { outputAt } from './checkOutputs';
import type { CheckResult, CommandOutput, ItemCheck } from './guideTypes';
import type { NpuSmiInfo } from './npuSmi';
import { NPU_SMI_INFO, NPU_SMI_LIST, parseNpuSmiInfo, parseNpuSmiList } from './npuSmi';
import { classifyNpuSmiError } from './npuSmiErrors';

function npuSmiFailure(output: CommandOutput): CheckResult | null {
  const error = classifyNpuSmiError(output.stdout, output.stderr, output.code);
  if (!error) return null;
  return {
    status: 'fail',
    summary: { zh: `${error.message.zh}${error.advice.zh}`, en: `${error.message.en} ${error.advice.en}` },
    evidence: error.evidence,
    data: error,
  };
}

/** Runs `parse` on `npu-smi info` once npu-smi itself worked and printed NPU rows. */
function withNpuSmiInfo(parse: (info: NpuSmiInfo) => CheckResult): ItemCheck['parse'] {
  return (outputs) => {
    const output = outputAt(outputs, 0);
    const failure = npuSmiFailure(output);
    if (failure) return failure;
    const info = parseNpuSmiInfo(output.stdout);
    if (info.cards.length === 0) {
      return {
        status: 'fail',
        summary: { zh: 'npu-smi info 没有列出任何 NPU。', en: 'npu-smi info lists no NPU.' },
        evidence: output.stdout.trim(),
        data: info,
      };
    }
    return parse(info);
  };
}

const cardLabel = (npu: number, chip: number | null): string => (chip === null ? `NPU ${npu}` : `NPU ${npu} chip ${chip}`);

/**
 * `npu-smi info -l`: "Total Count" must reach the guide's minimum ("训练至少需要单机8卡"); the table
 * of `npu-smi info` should list as many NPUs (a card the driver counts but cannot show warns).
 */
export function npuCountCheck(minimum: number): ItemCheck {
  return {
    commands: () => [NPU_SMI_LIST, NPU_SMI_INFO],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      const failure = npuSmiFailure(output);
      if (failure) return failure;
      const list = parseNpuSmiList(output.stdout);
      if (list.totalCount === null) {
        return {
          status: 'fail',
          summary: { zh: 'npu-smi info -l 的输出中没有 Total Count。', en: 'npu-smi info -l printed no Total Count.' },
          evidence: output.stdout.trim(),
          data: list,
        };
      }
      const evidence = list.totalLine ?? '';
      if (list.totalCount < minimum) {
        return {
          status: 'fail',
          summary: {
            zh: `只有 ${list.totalCount} 张 NPU 卡：训练至少需要单机${minimum}卡。`,
            en: `Only ${list.totalCount} NPUs: training needs at least ${minimum} on one server.`,
          },
          evidence,
          data: list,
        };
      }
      const table = outputAt(outputs, 1);
      const shown = npuSmiFailure(table) ? null : new Set(parseNpuSmiInfo(table.stdout).cards.map((card) => card.npu)).size;
      if (shown !== null && shown < list.totalCount) {
        return {
          status: 'warn',
          summary: {
            zh: `npu-smi info -l 统计到 ${list.totalCount} 张卡，但 npu-smi info 只列出 ${shown} 张。`,
            en: `npu-smi info -l counts ${list.totalCount} NPUs, but npu-smi info lists only ${shown}.`,
          },
          evidence,
          data: list,
        };
      }
      return { status: 'pass', summary: { zh: `共 ${list.totalCount} 张 NPU 卡。`, en: `${list.totalCount} NPUs.` }, evidence, data: list };
    },
  };
}

/** Every chip's Health is OK; Warning warns, anything else (Alarm, Critical, UNKNOWN) fails. */
export function npuHealthCheck(): ItemCheck {
  return {
    commands: () => [NPU_SMI_INFO],
    parse: withNpuSmiInfo((info) => {
      const unhealthy = info.cards.filter((card) => card.health !== 'OK');
      if (unhealthy.length === 0) {
        return {
          status: 'pass',
          summary: { zh: `全部 ${info.cards.length} 个 NPU 芯片状态为 OK。`, en: `All ${info.cards.length} NPU chips report OK.` },
          evidence: info.cards.map((card) => card.lines[0] ?? '').join('\n'),
          data: info,
        };
      }
      const list = unhealthy.map((card) => `${cardLabel(card.npu, card.chip)}: ${card.health}`).join(', ');
      const first = unhealthy[0];
      const detail = first ? `npu-smi info -t health -i ${first.npu}${first.chip === null ? '' : ` -c ${first.chip}`}` : '';
      return {
        status: unhealthy.every((card) => card.health === 'Warning') ? 'warn' : 'fail',
        summary: {
          zh: `NPU 状态异常：${list}。可用 ${detail} 查看错误码与错误信息。`,
          en: `NPUs not healthy: ${list}. ${detail} shows the error code and information.`,
        },
        evidence: unhealthy.map((card) => card.lines.join('\n')).join('\n'),
        data: info,
      };
    }),
  };
}

/** No process on any NPU: a card in use by someone else cannot train. */
export function npuIdleCheck(): ItemCheck {
  return {
    commands: () => [NPU_SMI_INFO],
    parse: withNpuSmiInfo((info) => {
      if (info.processes.length > 0) {
        const list = info.processes.map((process) => `${cardLabel(process.npu, process.chip)}: ${process.name || '?'} (pid ${process.pid})`).join(', ');
        return {
          status: 'fail',
          summary: {
            zh: `NPU 上有正在运行的进程：${list}。请先结束这些进程，或释放挂载了 NPU 的容器。`,
            en: `Processes are running on the NPUs: ${list}. Stop them, or release the containers holding the NPUs.`,
          },
          evidence: info.processes.map((process) => process.line).join('\n'),
          data: info,
        };
      }
      if (!info.processTableSeen) {
        return {
          status: 'warn',
          summary: {
            zh: 'npu-smi info 的输出没有进程表，无法确认 NPU 是否空闲。',
            en: 'The npu-smi info output has no process table, so whether the NPUs are idle is unknown.',
          },
          evidence: info.cards.map((card) => card.lines[0] ?? '').join('\n'),
          data: info,
        };
      }
      return {
        status: 'pass',
        summary: { zh: 'NPU 上没有运行中的进程。', en: 'No process is running on the NPUs.' },
        evidence: info.idleNpus.map((npu) => `No running processes found in NPU ${npu}`).join('\n'),
        data: info,
      };
    }),
  };
}

/** "25.0.rc1.1" -> comparable parts; an rc comes before the release it leads to, a build ("b020") after. */
function versionParts(version: string): [number, number][] {
  return version.split('.').map((part) => {
    const rc = /^rc(\d+)$/i.exec(part);
    if (rc) return [0, Number(rc[1])];
    const number = /(\d+)/.exec(part);
    return number ? [1, Number(number[1])] : [1, 0];
  });
}

/** Negative when `a` is older than `b`. */
export function compareDriverVersions(a: string, b: string): number {
  const left = versionParts(a);
  const right = versionParts(b);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const [kindA, valueA] = left[index] ?? [1, 0];
    const [kindB, valueB] = right[index] ?? [1, 0];
    if (kindA !== kindB) return kindA - kindB;
    if (valueA !== valueB) return valueA - valueB;
  }
  return 0;
}

/** The driver version npu-smi prints ("npu-smi X  Version: Y"); a mismatch with the guide warns. */
export function driverVersionCheck(expected: string): ItemCheck {
  return {
    commands: () => [NPU_SMI_INFO],
    parse: withNpuSmiInfo((info) => {
      const found = info.driverVersion;
      const evidence = info.versionLine ?? '';
      if (found === null) {
        return {
          status: 'warn',
          summary: { zh: '无法从 npu-smi info 读出驱动版本。', en: 'npu-smi info shows no driver version.' },
          evidence,
          data: info,
        };
      }
      const order = compareDriverVersions(found, expected);
      if (order === 0) {
        return { status: 'pass', summary: { zh: `驱动版本 ${found}，与文档一致。`, en: `Driver ${found}, as the guide requires.` }, evidence, data: info };
      }
      const older = order < 0;
      return {
        status: 'warn',
        summary: older
          ? {
              zh: `驱动版本 ${found} 低于文档要求的 ${expected}：镜像中的 CANN 可能无法使用（torch_npu 报 error code is 500001）。请严格遵照版本配套关系。`,
              en: `Driver ${found} is older than the guide’s ${expected}: the image’s CANN may not work (torch_npu fails with error code 500001). The guide asks for its exact versions.`,
            }
          : {
              zh: `驱动版本 ${found} 高于文档要求的 ${expected}：通常兼容，但文档要求严格遵照版本配套关系。`,
              en: `Driver ${found} is newer than the guide’s ${expected}: usually compatible, but the guide asks for its exact versions.`,
            },
        evidence,
        data: info,
      };
    }),
  };
}
