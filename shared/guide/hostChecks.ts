/** Checks on the server itself: the SSH login, IP forwarding, the metadata guard and free disk. */
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import type { SpaceNeed } from './disk';
import { DISK_FREE, formatGigabytes, parseDfPk, spaceByMount } from './disk';
import { DOCKER_INFO, parseDockerInfo } from './docker';
import type { ItemCheck, ItemFix } from './guideTypes';
import { LIST_FILTER_RULES, METADATA_ADDRESS, addMetadataGuard, findMetadataGuard, parseIptablesRules } from './metadataGuard';
import { asRoot } from './asRoot';
import { ENABLE_IP_FORWARD, READ_IP_FORWARD, parseSysctlValue } from './sysctl';

/** Getting any answer proves the login; the machine type tells whether the guide's image can run. */
export function sshCheck(architecture: string): ItemCheck {
  return {
    commands: () => [sh`uname -m`],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      const machine = output.stdout.trim();
      if (output.code !== 0 || machine === '') {
        return { status: 'fail', summary: { zh: '已连接，但命令未能执行。', en: 'Connected, but the command did not run.' }, evidence: failureText(output) };
      }
      if (machine !== architecture) {
        return {
          status: 'warn',
          summary: {
            zh: `已通过 SSH 登录，但服务器架构为 ${machine}；文档的镜像只支持 ${architecture}。`,
            en: `Logged in over SSH, but the server is ${machine}; the guide’s image is for ${architecture} only.`,
          },
          evidence: machine,
        };
      }
      return { status: 'pass', summary: { zh: `已通过 SSH 登录（${machine}）。`, en: `Logged in over SSH (${machine}).` }, evidence: machine };
    },
  };
}

export function ipForwardCheck(): ItemCheck {
  return {
    commands: () => [READ_IP_FORWARD],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      const { value, line } = parseSysctlValue(output.stdout, output.code);
      if (value === '1') {
        return { status: 'pass', summary: { zh: 'IP 转发已开启（当前值 1）。', en: 'IP forwarding is on (live value 1).' }, evidence: `net.ipv4.ip_forward = ${value}` };
      }
      if (value === null) {
        return {
          status: 'fail',
          summary: { zh: '无法读取 net.ipv4.ip_forward 的当前值。', en: 'Could not read the live value of net.ipv4.ip_forward.' },
          evidence: failureText(output),
        };
      }
      return {
        status: 'fail',
        summary: {
          zh: `IP 转发未开启（当前值 ${value}）：容器内将无法访问网络。`,
          en: `IP forwarding is off (live value ${value}): the container will have no network access.`,
        },
        evidence: line ?? '',
      };
    },
  };
}

export function ipForwardFix(): ItemFix {
  return {
    explanation: {
      zh: '按文档用 sed 修改 /etc/sysctl.conf 并执行 sysctl -p；文档的 sed 只改写已有的“ip_forward=0”行，因此没有该行时追加一行；最后用 sysctl -w 设置当前值。每条命令都以 root 身份执行：登录用户不是 root 时通过 sudo -n。',
      en: 'As the guide does, sed /etc/sysctl.conf and run sysctl -p; its sed only rewrites an existing "ip_forward=0" line, so a missing line is appended; finally sysctl -w sets the live value. Each command runs as root: through sudo -n when the login is not root.',
    },
    commands: () => ENABLE_IP_FORWARD.map(asRoot),
    confirm: true,
    recheck: true,
  };
}

/** Absent or in the wrong chain only warns: the guide asks for it when a container is shared. */
export function metadataGuardCheck(options: { readonly hostNetwork: boolean }): ItemCheck {
  return {
    commands: () => [LIST_FILTER_RULES],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) {
        return {
          status: 'warn',
          summary: { zh: '无法读取 iptables 规则（需要 root）。', en: 'Could not read the iptables rules (root is needed).' },
          evidence: failureText(output),
        };
      }
      const guard = findMetadataGuard(parseIptablesRules(output.stdout));
      const effective = options.hostNetwork ? guard.hostNetwork : guard.bridgeNetwork;
      if (effective) {
        return {
          status: 'pass',
          summary: { zh: `容器访问 ${METADATA_ADDRESS} 已被禁止。`, en: `Containers are blocked from ${METADATA_ADDRESS}.` },
          evidence: effective.line,
          data: guard,
        };
      }
      if (options.hostNetwork && guard.bridgeNetwork) {
        return {
          status: 'warn',
          summary: {
            zh: `只有 ${guard.bridgeNetwork.chain} 链中的规则：文档的容器使用 --net=host，流量经过 OUTPUT 链，该规则对它无效。`,
            en: `The only rule is in ${guard.bridgeNetwork.chain}: the guide’s container uses --net=host, so its traffic goes through OUTPUT and that rule never sees it.`,
          },
          evidence: guard.bridgeNetwork.line,
          data: guard,
        };
      }
      return {
        status: 'warn',
        summary: {
          zh: `没有禁止容器访问 ${METADATA_ADDRESS} 的规则：多人共用容器时，容器可以获取宿主机的元数据。`,
          en: `No rule keeps containers from ${METADATA_ADDRESS}: when several people share a container, it can read the host’s metadata.`,
        },
        evidence: '',
        data: guard,
      };
    },
  };
}

export function metadataGuardFix(options: { readonly hostNetwork: boolean; readonly containerUid: number }): ItemFix {
  return {
    explanation: {
      zh: `添加一条 iptables 规则，禁止容器（用户 uid ${options.containerUid}）访问 ${METADATA_ADDRESS}。规则在重启后失效。`,
      en: `Add an iptables rule that keeps the container (user uid ${options.containerUid}) from ${METADATA_ADDRESS}. It does not survive a reboot.`,
    },
    commands: () => [asRoot(addMetadataGuard(options))],
    confirm: true,
    recheck: true,
  };
}

export interface DiskNeeds {
  /** Pulled and unpacked image, in Docker's data dir. */
  readonly imageBytes: number;
  /** Model weights, in the work dir. */
  readonly weightsBytes: number;
  /** What training writes to the work dir; missing room for it only warns. */
  readonly outputBytes: number;
}

const DEFAULT_DOCKER_ROOT = '/var/lib/docker';

/** Room for the image where Docker keeps it and for the weights in the work dir; one disk may hold both. */
export function diskCheck(needs: DiskNeeds): ItemCheck {
  return {
    commands: () => [DISK_FREE, DOCKER_INFO],
    parse: (outputs, params) => {
      const mounts = parseDfPk(outputAt(outputs, 0).stdout);
      if (mounts.length === 0) {
        return { status: 'fail', summary: { zh: 'df 没有输出磁盘信息。', en: 'df printed no file systems.' }, evidence: failureText(outputAt(outputs, 0)) };
      }
      const dockerRoot = parseDockerInfo(outputAt(outputs, 1).stdout).rootDir ?? DEFAULT_DOCKER_ROOT;
      const required: SpaceNeed[] = [
        { path: dockerRoot, bytes: needs.imageBytes },
        { path: params.workDir, bytes: needs.weightsBytes },
      ];
      const withOutput = [...required, { path: params.workDir, bytes: needs.outputBytes }];
      const groups = spaceByMount(withOutput, mounts);
      const short = spaceByMount(required, mounts).filter((group) => !group.mount || group.mount.availableBytes < group.neededBytes);
      const tight = groups.filter((group) => !group.mount || group.mount.availableBytes < group.neededBytes);
      const describe = (language: 'zh' | 'en'): string =>
        groups
          .map((group) => {
            const where = group.mount?.mountPoint ?? '?';
            const free = group.mount ? formatGigabytes(group.mount.availableBytes) : '?';
            return language === 'zh'
              ? `${where}（${group.paths.join('、')}）可用 ${free}，需要 ${formatGigabytes(group.neededBytes)}`
              : `${where} (${group.paths.join(', ')}): ${free} free, ${formatGigabytes(group.neededBytes)} needed`;
          })
          .join(language === 'zh' ? '；' : '; ');
      const evidence = groups.map((group) => group.mount?.line ?? '').join('\n');
      const data = { dockerRoot, groups };
      const basis = {
        zh: `镜像约 ${formatGigabytes(needs.imageBytes)}，权重约 ${formatGigabytes(needs.weightsBytes)}，训练输出约 ${formatGigabytes(needs.outputBytes)}`,
        en: `image about ${formatGigabytes(needs.imageBytes)}, weights about ${formatGigabytes(needs.weightsBytes)}, training output about ${formatGigabytes(needs.outputBytes)}`,
      };
      if (short.length > 0) {
        return { status: 'fail', summary: { zh: `磁盘空间不足：${describe('zh')}（${basis.zh}）。`, en: `Not enough disk space: ${describe('en')} (${basis.en}).` }, evidence, data };
      }
      if (tight.length > 0) {
        return {
          status: 'warn',
          summary: { zh: `够放镜像和权重，但放不下训练输出：${describe('zh')}（${basis.zh}）。`, en: `Room for the image and weights, not for the training output: ${describe('en')} (${basis.en}).` },
          evidence,
          data,
        };
      }
      return { status: 'pass', summary: { zh: `磁盘空间充足：${describe('zh')}。`, en: `Enough disk space: ${describe('en')}.` }, evidence, data };
    },
  };
}
