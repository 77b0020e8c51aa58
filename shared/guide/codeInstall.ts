/**
 * Step 4 in the container: ma-user may write the work dir, the package is unzipped and its
 * install script run (it clones Qwen-VL at the package's commit), and the package's
 * modeling_qwen.py replaces the one in the weights folder. Each command cds into
 * ${container_work_dir} first: docker exec starts in the image's own work dir.
 */
import { sh } from '../remote/remoteCommand';
import { chosenPackage, findPackages, listPackages } from './codePackage';
import { failureText, outputAt } from './checkOutputs';
import type { ItemCheck, ItemFix } from './guideTypes';
import { FINETUNE_SCRIPT, INSTALL_SCRIPT, PATCHED_MODELING, QWEN_VL_DIR, WEIGHTS_DIR, inContainer, joinPath } from './workPaths';

/** find's test for a file the user cannot read or write (parentheses quoted: they are shell syntax). */
const UNUSABLE = ['(', '!', '-readable', '-o', '!', '-writable', ')'];

/** What ma-user cannot read or write under the work dir (the guide's root-uploaded files). */
export function ownershipCheck(): ItemCheck {
  return {
    commands: (params) => [sh`test -d ${inContainer(params)} && find ${inContainer(params)} -maxdepth 2 ${UNUSABLE} -printf '%u:%g %p\n' | head -n 20`],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: '无法检查工作目录的权限。', en: 'The work dir’s permissions could not be checked.' }, evidence: failureText(output) };
      const lines = output.stdout.split('\n').filter((line) => line.trim() !== '');
      if (lines.length === 0) {
        return { status: 'pass', summary: { zh: `容器用户可以读写 ${params.containerWorkDir}。`, en: `The container user can read and write ${params.containerWorkDir}.` }, evidence: '' };
      }
      return {
        status: 'fail',
        summary: {
          zh: `容器用户无法读写 ${lines.length >= 20 ? '至少 20' : lines.length} 个文件（上传时用的是 root）：统一文件属主为 ma-user。`,
          en: `The container user cannot read or write ${lines.length >= 20 ? 'at least 20' : lines.length} files (they were uploaded as root): give them to ma-user.`,
        },
        evidence: lines.join('\n'),
      };
    },
  };
}

export function ownershipFix(): ItemFix {
  return {
    label: { zh: '统一属主为 ma-user', en: 'Give the files to ma-user' },
    explanation: {
      zh: '上传文件到宿主机时使用的是root用户,此处需要执行如下命令统一文件属主为ma-user用户。',
      en: 'Files uploaded to the host belong to root; this gives everything in the container work dir to ma-user, as the guide does.',
    },
    commands: (params) => [sh`sudo chown -R ma-user:ma-group ${inContainer(params)}`],
    confirm: true,
    recheck: true,
  };
}

export function installedCheck(): ItemCheck {
  return {
    commands: (params) => [sh`cd ${inContainer(params, QWEN_VL_DIR)} && ls -l finetune.py ${FINETUNE_SCRIPT}`],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code === 0) {
        return { status: 'pass', summary: { zh: `Qwen-VL 已安装在 ${inContainer(params, QWEN_VL_DIR)}。`, en: `Qwen-VL is installed in ${inContainer(params, QWEN_VL_DIR)}.` }, evidence: output.stdout.trim() };
      }
      return {
        status: 'fail',
        summary: { zh: '还没有解压代码包并执行 Qwen-VL 安装脚本。', en: 'The package is not unzipped and the Qwen-VL install script has not run yet.' },
        evidence: failureText(output),
      };
    },
  };
}

/** unzip, remove the zip (as the guide does), then the install script; each streams. */
export function installFix(version: string): ItemFix {
  return {
    label: { zh: '解压并安装', en: 'Unzip and install' },
    explanation: {
      zh: '在容器中解压代码包并执行Qwen-VL安装脚本（需要访问公网：脚本会 git clone）。git config --global http.sslVerify false 是文档要求的。',
      en: 'Unzip the package in the container and run the Qwen-VL install script (it needs the internet: it runs git clone). git config --global http.sslVerify false is what the guide asks for.',
    },
    commands: (params, _options, context) => {
      const zip = chosenPackage(findPackages(outputAt(context.precheck, 0).stdout), version)?.name;
      const cwd = inContainer(params);
      return [
        ...(zip ? [sh`cd ${cwd} && unzip -o ${zip}`, sh`cd ${cwd} && rm -f -- ${zip}`] : []),
        sh`git config --global http.sslVerify false`,
        sh`cd ${cwd} && bash ${INSTALL_SCRIPT}`,
      ];
    },
    confirm: true,
    recheck: true,
    precheck: {
      commands: (params) => [listPackages(inContainer(params))],
      validate: (outputs) => {
        const stdout = outputAt(outputs, 0).stdout;
        if (chosenPackage(findPackages(stdout), version) || /^unpacked$/m.test(stdout)) return [];
        return [{ field: '', message: { zh: `工作目录中没有 AscendCloud-AIGC-${version}-*.zip：请先完成第 3 步。`, en: `There is no AscendCloud-AIGC-${version}-*.zip in the work dir: do Step 3 first.` } }];
      },
    },
    timeoutMs: 60 * 60_000,
  };
}

export function modelingCheck(): ItemCheck {
  return {
    commands: (params) => [sh`cmp -- ${inContainer(params, PATCHED_MODELING)} ${inContainer(params, WEIGHTS_DIR, 'modeling_qwen.py')}`],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      if (output.code === 0) return { status: 'pass', summary: { zh: '权重目录中的 modeling_qwen.py 已替换为代码包中的版本。', en: 'The weights folder has the package’s modeling_qwen.py.' }, evidence: '' };
      return {
        status: 'fail',
        summary: { zh: '权重目录中的 modeling_qwen.py 还不是代码包中的版本（适配 NPU 的那份）。', en: 'The weights folder’s modeling_qwen.py is not yet the package’s (the one adapted to NPUs).' },
        evidence: failureText(output),
      };
    },
  };
}

export function modelingFix(): ItemFix {
  return {
    label: { zh: '复制 modeling_qwen.py', en: 'Copy modeling_qwen.py' },
    explanation: { zh: '把代码包中的 modeling_qwen.py 复制到权重目录，覆盖原文件。', en: 'Copy the package’s modeling_qwen.py into the weights folder, over the original.' },
    commands: (params) => [sh`cp -f -- ${inContainer(params, PATCHED_MODELING)} ${`${joinPath(inContainer(params), WEIGHTS_DIR)}/`}`],
    confirm: false,
    recheck: true,
  };
}
