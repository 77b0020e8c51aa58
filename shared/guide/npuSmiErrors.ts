/**
 * Why `npu-smi info` failed. The messages are the driver's (DCMI return codes) and the shell's;
 * the advice follows the guide: "如出现错误,可能是机器上的NPU设备没有正常安装,或者NPU镜像被其他
 * 容器挂载。请先正常安装固件和驱动,或释放被挂载的NPU。"
 */
import type { LocalizedText } from '../i18n/localizedText';

export type NpuSmiErrorKind =
  | 'not-installed'
  | 'not-a-file'
  | 'driver-libraries-missing'
  | 'device-in-use'
  | 'not-root'
  | 'dcmi-init-failed'
  | 'dcmi-error'
  | 'failed';

export interface NpuSmiError {
  readonly kind: NpuSmiErrorKind;
  /** The DCMI return code (-8020…) when one was printed. */
  readonly dcmiCode: number | null;
  readonly message: LocalizedText;
  readonly advice: LocalizedText;
  /** The lines that identify the error. */
  readonly evidence: string;
}

const GUIDE_ADVICE: LocalizedText = {
  zh: '可能是机器上的NPU设备没有正常安装,或者NPU镜像被其他容器挂载。请先正常安装固件和驱动,或释放被挂载的NPU。',
  en: 'The NPUs may not be installed properly, or another container has them mounted. Install the firmware and driver properly, or release the mounted NPUs.',
};

const HOLDERS_ADVICE: LocalizedText = {
  zh: '用 docker ps 与 docker inspect 查看哪个容器挂载了 /dev/davinci*（特权容器占用全部卡），停止它后再检查。' + GUIDE_ADVICE.zh,
  en: 'Use docker ps and docker inspect to find the container holding /dev/davinci* (a privileged one holds every card), stop it, then check again. ' + GUIDE_ADVICE.en,
};

/** DCMI return codes (hiascend DCMI API reference) that have a plain meaning. */
const DCMI_CODES: Readonly<Record<number, LocalizedText>> = {
  [-8002]: { zh: '无权限执行该操作（-8002）。', en: 'Operation not permitted (-8002).' },
  [-8006]: { zh: '驱动响应超时（-8006）。', en: 'The driver timed out (-8006).' },
  [-8008]: { zh: '设备不存在（-8008）：驱动未加载或卡未识别。', en: 'No such device (-8008): the driver is not loaded or the card is not detected.' },
  [-8012]: { zh: '设备尚未就绪（-8012），请稍后重试。', en: 'The device is not ready yet (-8012); try again shortly.' },
  [-8013]: { zh: '该操作不支持在容器中执行（-8013）。', en: 'Not supported inside a container (-8013).' },
  [-8017]: { zh: '设备正在升级（-8017）。', en: 'The device is being upgraded (-8017).' },
};

function linesMatching(text: string, pattern: RegExp): string {
  return text
    .split(/\r?\n/)
    .filter((line) => pattern.test(line))
    .join('\n');
}

/** Null when npu-smi ran and printed no known error. */
export function classifyNpuSmiError(stdout: string, stderr: string, code: number | null): NpuSmiError | null {
  const text = `${stderr}\n${stdout}`;
  const dcmi = /ret is (-\d+)/.exec(text);
  const dcmiCode = dcmi ? Number(dcmi[1]) : null;
  const make = (kind: NpuSmiErrorKind, message: LocalizedText, advice: LocalizedText, pattern: RegExp): NpuSmiError => ({
    kind,
    dcmiCode,
    message,
    advice,
    evidence: linesMatching(text, pattern) || text.trim(),
  });

  if (/npu-smi: (Permission denied|Is a directory)/.test(text)) {
    return make(
      'not-a-file',
      { zh: 'npu-smi 不是可执行文件（通常是一个目录）。', en: 'npu-smi is not an executable (usually it is a directory).' },
      {
        zh: '挂载 npu-smi 时宿主机上的源路径不存在，docker 自动创建了一个同名目录。请删除该目录，并挂载宿主机上真实的 npu-smi（/usr/local/bin/npu-smi 或 /usr/local/sbin/npu-smi）。',
        en: 'The host path of the npu-smi mount did not exist, so docker created a directory with that name. Remove it and mount the real npu-smi from the host (/usr/local/bin/npu-smi or /usr/local/sbin/npu-smi).',
      },
      /npu-smi: (Permission denied|Is a directory)/,
    );
  }
  if (/error while loading shared libraries/.test(text)) {
    return make(
      'driver-libraries-missing',
      { zh: 'npu-smi 找不到驱动库（如 libc_sec.so）。', en: 'npu-smi cannot load the driver libraries (such as libc_sec.so).' },
      {
        zh: 'driver及npu-smi需同时挂载至容器：请挂载 /usr/local/Ascend/driver 与 /usr/local/dcmi。',
        en: 'The driver and npu-smi must be mounted together: mount /usr/local/Ascend/driver and /usr/local/dcmi too.',
      },
      /error while loading shared libraries/,
    );
  }
  if (/npu-smi: (command )?not found/.test(text) || code === 127) {
    return make(
      'not-installed',
      { zh: '找不到 npu-smi 命令。', en: 'The npu-smi command was not found.' },
      {
        zh: '驱动会安装 /usr/local/sbin/npu-smi；请确认已安装 NPU 驱动并在 PATH 中。' + GUIDE_ADVICE.zh,
        en: 'The driver installs /usr/local/sbin/npu-smi: check that the NPU driver is installed and on PATH. ' + GUIDE_ADVICE.en,
      },
      /npu-smi|not found/,
    );
  }
  if (dcmiCode === -8020 || /device is used/.test(text)) {
    return make(
      'device-in-use',
      { zh: 'NPU 已被其他容器或进程占用（DCMI -8020）。', en: 'The NPUs are held by another container or process (DCMI -8020).' },
      HOLDERS_ADVICE,
      /device is used|ret is/,
    );
  }
  if (dcmiCode === -8005 && /\(ret=4\)/.test(text)) {
    return make(
      'not-root',
      { zh: '当前用户无权访问 NPU 驱动（DCMI -8005，ret=4）。', en: 'This user may not use the NPU driver (DCMI -8005, ret=4).' },
      { zh: '驱动只为 root（及 HwHiAiUser）安装：请以 root 用户登录后再检查。', en: 'The driver is installed for root (and HwHiAiUser) only: log in as root and check again.' },
      /ret=4|ret is/,
    );
  }
  if (dcmiCode === -8005) {
    return make(
      'dcmi-init-failed',
      { zh: 'NPU 驱动初始化失败（DCMI -8005）。', en: 'The NPU driver failed to initialise (DCMI -8005).' },
      {
        zh: '在容器内通常是卡已被其他容器占用；在宿主机上通常是升级驱动或固件后未重启。' + HOLDERS_ADVICE.zh,
        en: 'Inside a container this usually means another container holds the card; on the host, that the driver or firmware was upgraded without a reboot. ' + HOLDERS_ADVICE.en,
      },
      /ret is/,
    );
  }
  if (dcmiCode !== null) {
    const known = DCMI_CODES[dcmiCode];
    return make('dcmi-error', known ?? { zh: `NPU 驱动返回错误 ${dcmiCode}。`, en: `The NPU driver returned error ${dcmiCode}.` }, GUIDE_ADVICE, /ret is/);
  }
  if (code !== 0) {
    return make(
      'failed',
      { zh: `npu-smi 执行失败（退出码 ${code ?? '无'}）。`, en: `npu-smi failed (exit status ${code ?? 'none'}).` },
      GUIDE_ADVICE,
      /\S/,
    );
  }
  return null;
}
