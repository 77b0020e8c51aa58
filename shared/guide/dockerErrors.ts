/**
 * Errors docker prints for pull, run, exec and the daemon, told apart by their text (exit codes
 * overlap: a missing device and a missing command are both 127).
 */
import type { LocalizedText } from '../i18n/localizedText';

export type DockerErrorKind =
  | 'not-installed'
  | 'daemon-down'
  | 'socket-permission'
  | 'no-space'
  | 'device-missing'
  | 'name-conflict'
  | 'invalid-name'
  | 'bind-source-missing'
  | 'manifest-unknown'
  | 'invalid-reference'
  | 'login-required'
  | 'access-denied'
  | 'no-such-image'
  | 'dns-failure'
  | 'network-timeout'
  | 'connection-refused'
  | 'layer-max-depth'
  | 'no-such-user'
  | 'no-such-container'
  | 'container-not-running'
  | 'executable-not-found'
  | 'failed';

export interface DockerError {
  readonly kind: DockerErrorKind;
  readonly message: LocalizedText;
  /** The value the message is about: a device, a container, a registry host, a user. */
  readonly subject: string | null;
  /** The line that identified the error. */
  readonly evidence: string;
}

interface Rule {
  readonly kind: DockerErrorKind;
  readonly pattern: RegExp;
  readonly message: (subject: string) => LocalizedText;
}

const OBS_NOTE: LocalizedText = {
  zh: 'SWR 的镜像层从 OBS（obs.<region>.myhuaweicloud.com）下载，宿主机也必须能解析并访问该域名。',
  en: 'SWR serves image layers from OBS (obs.<region>.myhuaweicloud.com): the host must resolve and reach that name too.',
};

/** First match wins, so specific messages come before the generic network ones. */
const RULES: readonly Rule[] = [
  {
    kind: 'not-installed',
    pattern: /\bdocker: (?:command )?not found/,
    message: () => ({ zh: '未安装 docker。', en: 'docker is not installed.' }),
  },
  {
    kind: 'daemon-down',
    pattern: /Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running\?/,
    message: () => ({
      zh: 'Docker 守护进程未运行。请执行 systemctl start docker 启动后再检查。',
      en: 'The Docker daemon is not running. Start it with systemctl start docker, then check again.',
    }),
  },
  {
    kind: 'socket-permission',
    pattern: /permission denied while trying to connect to the Docker daemon socket/,
    message: () => ({ zh: '当前用户无权访问 Docker：请以 root 登录。', en: 'This user may not use Docker: log in as root.' }),
  },
  {
    kind: 'no-space',
    pattern: /no space left on device/,
    message: () => ({
      zh: '磁盘空间不足（Docker 数据目录所在磁盘已满）。请清理空间（如 docker image prune）后重试。',
      en: 'No space left on the disk holding Docker’s data. Free some (docker image prune, for example) and try again.',
    }),
  },
  {
    kind: 'device-missing',
    pattern: /error gathering device information while adding custom device "([^"]+)"/,
    message: (device) => ({
      zh: `宿主机上没有设备 ${device}：请只挂载 npu-smi info 列出的卡。容器已创建但未启动，请先 docker rm 删除它。`,
      en: `The host has no ${device}: mount only the cards npu-smi info lists. The container was created but not started; remove it with docker rm first.`,
    }),
  },
  {
    kind: 'name-conflict',
    pattern: /The container name "\/?([^"]+)" is already in use/,
    message: (name) => ({
      zh: `容器名称 ${name} 已被占用：请换一个名称，或先删除同名容器。`,
      en: `The container name ${name} is taken: choose another, or remove that container first.`,
    }),
  },
  {
    kind: 'invalid-name',
    pattern: /Invalid container name \(([^)]*)\)/,
    message: (name) => ({
      zh: `容器名称 ${name} 无效：只能包含字母、数字、“_”、“.”、“-”。`,
      en: `The container name ${name} is invalid: use letters, digits, "_", "." and "-".`,
    }),
  },
  {
    kind: 'bind-source-missing',
    pattern: /bind source path does not exist: (\S+)/,
    message: (path) => ({ zh: `宿主机上不存在挂载源路径 ${path}。`, en: `The mount source ${path} does not exist on the host.` }),
  },
  {
    kind: 'manifest-unknown',
    pattern: /manifest for (\S+) not found|manifest unknown/,
    message: (reference) => ({
      zh: `镜像仓库中没有该镜像或标签${reference ? `（${reference}）` : ''}：请核对镜像地址与标签。`,
      en: `The registry has no such image or tag${reference ? ` (${reference})` : ''}: check the image address and tag.`,
    }),
  },
  {
    kind: 'invalid-reference',
    pattern: /invalid reference format/,
    message: () => ({ zh: '镜像地址格式错误（含空格、大写或非法字符）。', en: 'The image reference is malformed (spaces, capitals or other characters docker refuses).' }),
  },
  {
    kind: 'login-required',
    pattern: /denied: You may not login yet|no basic auth credentials|authentication required/,
    message: () => ({
      zh: '需要先登录镜像仓库：在 SWR 控制台获取登录指令，执行 docker login 后重试。',
      en: 'Log in to the registry first: get the login command from the SWR console, run docker login, and try again.',
    }),
  },
  {
    kind: 'access-denied',
    pattern: /unauthorized:|you do not have the permission|requested access to the resource is denied/,
    message: () => ({
      zh: '已登录，但该账号无权拉取此镜像：请确认镜像所在组织已授权给您。',
      en: 'Logged in, but this account may not pull the image: check that its organisation grants you access.',
    }),
  },
  {
    kind: 'no-such-image',
    pattern: /No such image: (\S+)/,
    message: (image) => ({ zh: `本地没有镜像 ${image}。`, en: `There is no local image ${image}.` }),
  },
  {
    kind: 'dns-failure',
    pattern: /lookup ([^\s:]+)(?: on \S+)?: (?:no such host|server misbehaving|read udp [^:]+:\d+->[^:]+:\d+: i\/o timeout)/,
    message: (host) => ({
      zh: `无法解析域名 ${host}：请检查宿主机的 DNS 与外网访问。${OBS_NOTE.zh}`,
      en: `Cannot resolve ${host}: check the host's DNS and internet access. ${OBS_NOTE.en}`,
    }),
  },
  {
    kind: 'network-timeout',
    pattern: /Client\.Timeout exceeded|request canceled while waiting for connection|i\/o timeout|TLS handshake timeout/,
    message: () => ({
      zh: `连接镜像仓库超时：请检查宿主机的外网访问或代理。${OBS_NOTE.zh}`,
      en: `Timed out reaching the registry: check the host's internet access or proxy. ${OBS_NOTE.en}`,
    }),
  },
  {
    kind: 'connection-refused',
    pattern: /dial tcp (\S+): connect: connection refused/,
    message: (address) => ({ zh: `${address} 拒绝连接：镜像仓库地址或端口有误。`, en: `${address} refused the connection: the registry address or port is wrong.` }),
  },
  {
    kind: 'layer-max-depth',
    pattern: /max depth exceeded/,
    message: () => ({ zh: '镜像层数超过存储驱动的上限。', en: 'The image has more layers than the storage driver allows.' }),
  },
  {
    kind: 'no-such-user',
    pattern: /unable to find user ([^:\s]+): no matching entries in passwd file/,
    message: (user) => ({ zh: `容器中没有用户 ${user}。`, en: `The container has no user ${user}.` }),
  },
  {
    kind: 'no-such-container',
    pattern: /No such (?:container|object): (\S+)/,
    message: (name) => ({ zh: `没有名为 ${name} 的容器。`, en: `There is no container named ${name}.` }),
  },
  {
    kind: 'container-not-running',
    pattern: /Container ([0-9a-f]+) is not running/,
    message: () => ({ zh: '容器未运行：请先 docker start 启动它。', en: 'The container is not running: start it with docker start first.' }),
  },
  {
    kind: 'executable-not-found',
    pattern: /exec: "([^"]+)": executable file not found in \$PATH/,
    message: (program) => ({ zh: `容器中没有 ${program} 命令。`, en: `The container has no ${program} command.` }),
  },
];

/** Null when nothing known is in `text` and the command did not fail (or its status is unknown). */
export function classifyDockerError(text: string, code: number | null): DockerError | null {
  const lines = text.split(/\r?\n/);
  for (const rule of RULES) {
    for (const line of lines) {
      const match = rule.pattern.exec(line);
      if (match) return { kind: rule.kind, message: rule.message(match[1] ?? ''), subject: match[1] ?? null, evidence: line.trim() };
    }
  }
  if (code === null || code === 0) return null;
  const first = lines.map((line) => line.trim()).find((line) => line !== '') ?? '';
  return {
    kind: 'failed',
    message: { zh: `docker 执行失败（退出码 ${code}）：${first}`, en: `docker failed (exit status ${code}): ${first}` },
    subject: null,
    evidence: first,
  };
}
