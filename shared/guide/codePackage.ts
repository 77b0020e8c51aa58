/**
 * Step 3: the plug-in code package AscendCloud-AIGC-<version>-<timestamp>.zip in the work dir. The
 * guide uploads "6.3.906" in Step 3 but unzips "6.3.910" in Step 4 and its table says 6.3.910: the
 * version the image belongs to is the guide's, and a package of another version is flagged.
 */
import { sh } from '../remote/remoteCommand';
import { failureText, outputAt } from './checkOutputs';
import type { ItemCheck } from './guideTypes';
import { INSTALL_SCRIPT, joinPath } from './workPaths';

export const PACKAGE_PREFIX = 'AscendCloud-AIGC-';
const PACKAGE_NAME = /^AscendCloud-AIGC-(\d+(?:\.\d+)+)-(.+)\.zip$/;

export interface CodePackage {
  readonly name: string;
  readonly version: string;
  /** The "xxx" of the guide: a build timestamp. */
  readonly build: string;
  readonly bytes: number;
}

/** The package's version and build from its file name; null for any other file. */
export function parsePackageName(name: string): { version: string; build: string } | null {
  const match = PACKAGE_NAME.exec(name);
  return match ? { version: match[1] ?? '', build: match[2] ?? '' } : null;
}

/** Lines of `find -printf '%f\t%s\n'`: file name and size. */
export function parseFileSizes(text: string): { name: string; bytes: number }[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, '').split('\t'))
    .filter((cells): cells is [string, string] => cells.length === 2 && /^\d+$/.test(cells[1] ?? ''))
    .map(([name, bytes]) => ({ name, bytes: Number(bytes) }));
}

export function findPackages(listing: string): CodePackage[] {
  return parseFileSizes(listing).flatMap(({ name, bytes }) => {
    const parsed = parsePackageName(name);
    return parsed ? [{ name, bytes, ...parsed }] : [];
  });
}

/** The zip the later steps unzip: the newest build of the guide's version. */
export function chosenPackage(packages: readonly CodePackage[], version: string): CodePackage | null {
  return packages.filter((found) => found.version === version).sort((a, b) => b.build.localeCompare(a.build))[0] ?? null;
}

/** Zips of the package, and whether the install script is there already (the guide deletes the zip after unzipping it). */
export function listPackages(hostWorkDir: string) {
  return sh`find ${hostWorkDir} -maxdepth 1 -type f -name ${`${PACKAGE_PREFIX}*.zip`} -printf '%f\t%s\n'; test -f ${joinPath(hostWorkDir, INSTALL_SCRIPT)} && echo unpacked || true`;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MiB`;

export function codePackageCheck(version: string): ItemCheck {
  return {
    commands: (params) => [listPackages(params.workDir)],
    parse: (outputs) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: '无法列出工作目录。', en: 'The work dir could not be listed.' }, evidence: failureText(output) };
      const packages = findPackages(output.stdout);
      const unpacked = /^unpacked$/m.test(output.stdout);
      const evidence = packages.map((found) => `${found.name}  ${mib(found.bytes)}`).join('\n');
      const chosen = chosenPackage(packages, version);
      if (chosen) {
        return {
          status: 'pass',
          summary: { zh: `代码包 ${chosen.name} 已在工作目录中，版本 ${version} 与镜像一致。`, en: `${chosen.name} is in the work dir, version ${version} like the image.` },
          evidence,
          facts: { package: chosen.name },
        };
      }
      if (unpacked) {
        return { status: 'pass', summary: { zh: '代码包已解压（安装脚本已在工作目录中）。', en: 'The package is unpacked already (its install script is in the work dir).' }, evidence: evidence || INSTALL_SCRIPT };
      }
      const other = packages[0];
      if (other) {
        return {
          status: 'fail',
          summary: {
            zh: `工作目录中的代码包是 ${other.version} 版本，但镜像和本文档对应 ${version}（文档第 3 步写的 6.3.906 是笔误）。请上传 AscendCloud-AIGC-${version}-xxx.zip。`,
            en: `The package in the work dir is version ${other.version}, but the image and this guide are ${version} (the guide’s Step 3 says 6.3.906 by mistake). Upload AscendCloud-AIGC-${version}-xxx.zip.`,
          },
          evidence,
        };
      }
      return {
        status: 'fail',
        summary: { zh: `工作目录中还没有 AscendCloud-AIGC-${version}-*.zip：请在下面选择本地文件上传。`, en: `There is no AscendCloud-AIGC-${version}-*.zip in the work dir yet: choose the local file below to upload it.` },
        evidence: '',
      };
    },
  };
}
