/** Docker installed (`docker -v`, the guide's check) and its daemon answering (`docker info`). */
import type { LocalizedText } from '../i18n/localizedText';
import { sh } from '../remote/remoteCommand';
import { asRoot } from './asRoot';
import { failureText, outputAt } from './checkOutputs';
import { DOCKER_INFO, DOCKER_VERSION, parseDockerInfo, parseDockerVersion } from './docker';
import { classifyDockerError } from './dockerErrors';
import type { CheckResult, CommandOutput, ItemCheck, ItemFix } from './guideTypes';

function dockerFailure(output: CommandOutput): CheckResult {
  const error = classifyDockerError(`${output.stderr}\n${output.stdout}`, output.code ?? 1);
  const summary: LocalizedText = error?.message ?? { zh: 'docker 执行失败。', en: 'docker failed.' };
  return { status: 'fail', summary, evidence: error?.evidence || failureText(output), data: error };
}

export function dockerInstalledCheck(): ItemCheck {
  return {
    commands: () => [DOCKER_VERSION],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      const version = parseDockerVersion(output.stdout);
      if (!version || output.code !== 0) return dockerFailure(output);
      return {
        status: 'pass',
        summary: { zh: `已安装 Docker ${version.version}。`, en: `Docker ${version.version} is installed.` },
        evidence: version.line,
        data: version,
      };
    },
  };
}

/** The guide's install command (EulerOS/HCE packages). */
export function dockerInstallFix(packages: readonly string[]): ItemFix {
  return {
    explanation: { zh: '如尚未安装，运行以下命令安装docker。', en: 'If docker is missing, install it with this command.' },
    commands: () => [asRoot(sh`yum install -y ${packages}`)],
    confirm: true,
    recheck: true,
  };
}

export function dockerDaemonCheck(): ItemCheck {
  return {
    commands: () => [DOCKER_INFO],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      const info = parseDockerInfo(output.stdout);
      if (output.code !== 0 || info.serverVersion === null) return dockerFailure(output);
      return {
        status: 'pass',
        summary: {
          zh: `Docker 守护进程 ${info.serverVersion} 正在运行${info.rootDir ? `，数据目录 ${info.rootDir}` : ''}。`,
          en: `The Docker daemon ${info.serverVersion} is running${info.rootDir ? `, storing data in ${info.rootDir}` : ''}.`,
        },
        evidence: info.lines.join('\n'),
        data: info,
      };
    },
  };
}
