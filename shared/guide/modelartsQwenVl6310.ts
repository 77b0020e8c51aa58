import { codePackageCheck } from './codePackage';
import { datasetCheck } from './datasetItems';
import { installFix, installedCheck, modelingCheck, modelingFix, ownershipCheck, ownershipFix } from './codeInstall';
import { configureFix, launchFix, scriptCheck } from './trainingItems';
import { fontCheck, fontFix } from './simsunFont';
import { outputCheck } from './trainingOutput';
import { trainingStatusCheck } from './trainingStatus';
import { weightsCheck } from './weightsCheck';
import { downloadWeightsFix } from './weightsDownload';
import { containerNpuSmiCheck, containerRunningCheck, startContainerFix } from './containerChecks';
import { dockerDaemonCheck, dockerInstallFix, dockerInstalledCheck } from './dockerChecks';
import type { Guide, GuideItem } from './guideTypes';
import { imagePresentCheck, pullImageFix } from './imageChecks';
import { diskCheck, ipForwardCheck, ipForwardFix, metadataGuardCheck, metadataGuardFix, sshCheck } from './hostChecks';
import { driverVersionCheck, npuCountCheck, npuHealthCheck, npuIdleCheck } from './npuChecks';

/** 资源规格要求 and 获取软件和镜像 of the guide. */
const DRIVER_VERSION = '23.0.6';
const MIN_NPUS = 8;
const IMAGE = 'swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b';
const ARCHITECTURE = 'aarch64';
const DOCKER_PACKAGES = ['docker-engine.aarch64', 'docker-engine-selinux.noarch', 'docker-runc.aarch64'];
/** ma-user in ma-group (uid 1000, gid 100): the user the image runs as. */
const CONTAINER_UID = 1000;
const HOST_NETWORK = true;
/**
 * Qwen-VL-Chat's weights are 19.3 GB and a full fine-tune writes a model of the same size to
 * output_qwen. No size of this image is recorded: 30 GB is an estimate for a CANN + PyTorch image
 * pulled and unpacked.
 */
const DISK = { imageBytes: 30e9, weightsBytes: 19.3e9, outputBytes: 19.3e9 };

const environmentItems: readonly GuideItem[] = [
  {
    id: 'ssh',
    title: { zh: 'SSH 登录', en: 'SSH login' },
    explanation: {
      zh: '确保机器已开通,密码已获取,能通过SSH登录,不同机器之间网络互通。基础镜像为 aarch64 版本，服务器需为 ARM（aarch64）架构。',
      en: 'The machine must be provisioned, its password known and SSH login working, and machines must reach each other. The base image is built for aarch64, so the server must be an ARM (aarch64) machine.',
    },
    scope: 'host',
    params: [],
    check: sshCheck(ARCHITECTURE),
  },
  {
    id: 'npu-cards',
    title: { zh: 'NPU 卡数', en: 'Number of NPUs' },
    explanation: {
      zh: '训练至少需要单机8卡。npu-smi info -l | grep Total：在每个实例节点上运行此命令可以看到总卡数。',
      en: 'Training needs at least 8 NPUs on one server. npu-smi info -l | grep Total shows the total number of cards on each node.',
    },
    scope: 'host',
    params: [],
    check: npuCountCheck(MIN_NPUS),
  },
  {
    id: 'npu-health',
    title: { zh: 'NPU 卡状态', en: 'NPU health' },
    explanation: {
      zh: 'SSH登录机器后,检查NPU卡状态:运行 npu-smi info,返回NPU设备信息。如出现错误,可能是机器上的NPU设备没有正常安装,或者NPU镜像被其他容器挂载。请先正常安装固件和驱动,或释放被挂载的NPU。',
      en: 'After logging in, check the NPUs: npu-smi info prints the NPU devices. An error may mean the NPUs are not installed properly, or another container has them mounted: install the firmware and driver properly, or release the mounted NPUs.',
    },
    scope: 'host',
    params: [],
    check: npuHealthCheck(),
  },
  {
    id: 'npu-free',
    title: { zh: 'NPU 空闲', en: 'NPUs idle' },
    explanation: {
      zh: 'npu-smi info 的进程表中不应有进程。不要将多个容器绑到同一个NPU上,会导致后续的容器无法正常使用NPU功能。',
      en: 'The npu-smi info process table should be empty. Do not bind several containers to one NPU: the later containers cannot use it.',
    },
    scope: 'host',
    params: [],
    check: npuIdleCheck(),
  },
  {
    id: 'driver-version',
    title: { zh: '驱动版本', en: 'Driver version' },
    explanation: {
      zh: `资源规格要求:驱动 ${DRIVER_VERSION}。本文档适配昇腾云ModelArts 6.3.910版本,请严格遵照版本配套关系使用本文档。`,
      en: `Required driver: ${DRIVER_VERSION}. The guide is written for ModelArts 6.3.910 and asks that its versions be followed exactly.`,
    },
    scope: 'host',
    params: [],
    check: driverVersionCheck(DRIVER_VERSION),
  },
  {
    id: 'docker',
    title: { zh: '安装 Docker', en: 'Docker installed' },
    explanation: {
      zh: `检查是否安装docker:docker -v。如尚未安装,运行以下命令安装docker:yum install -y ${DOCKER_PACKAGES.join(' ')}`,
      en: `Check that docker is installed: docker -v. If it is not, install it: yum install -y ${DOCKER_PACKAGES.join(' ')}`,
    },
    scope: 'host',
    params: [],
    check: dockerInstalledCheck(),
    fix: dockerInstallFix(DOCKER_PACKAGES),
  },
  {
    id: 'docker-daemon',
    title: { zh: 'Docker 服务', en: 'Docker daemon' },
    explanation: {
      zh: 'docker -v 只说明客户端已安装；拉取镜像、启动容器还需要 Docker 守护进程在运行（docker info 能返回服务端信息）。',
      en: 'docker -v only shows the client is installed; pulling the image and starting the container also need the Docker daemon running (docker info reports the server).',
    },
    scope: 'host',
    params: [],
    check: dockerDaemonCheck(),
  },
  {
    id: 'ip-forward',
    title: { zh: 'IP 转发', en: 'IP forwarding' },
    explanation: {
      zh: '配置IP转发,用于容器内的网络访问。net.ipv4.ip_forward配置项的值如果为1,可跳过此步骤。文档用 sysctl -p | grep net.ipv4.ip_forward 查看，但 sysctl -p 会重新应用 /etc/sysctl.conf 并只打印文件里的行，而不是内核当前使用的值，因此这里读取当前值（sysctl -n net.ipv4.ip_forward）。',
      en: 'IP forwarding gives the container network access; if net.ipv4.ip_forward is 1 there is nothing to do. The guide reads it with sysctl -p | grep net.ipv4.ip_forward, but sysctl -p re-applies /etc/sysctl.conf and prints the file’s lines, not the value the kernel uses now, so the live value is read instead (sysctl -n net.ipv4.ip_forward).',
    },
    scope: 'host',
    params: [],
    check: ipForwardCheck(),
    fix: ipForwardFix(),
  },
  {
    id: 'metadata-guard',
    title: { zh: '禁止容器获取宿主机元数据', en: 'Keep containers from the host’s metadata' },
    explanation: {
      zh: '当容器需要提供服务给多个用户,或者多个用户共享使用该容器时,应限制容器访问Openstack的管理地址(169.254.169.254),以防止容器获取宿主机的元数据。文档的容器使用 --net=host，所以规则要加在 OUTPUT 链上。',
      en: 'When a container serves several users, or several users share it, keep it from the OpenStack management address 169.254.169.254 so it cannot read the host’s metadata. The guide’s container uses --net=host, so the rule belongs in the OUTPUT chain.',
    },
    scope: 'host',
    params: [],
    check: metadataGuardCheck({ hostNetwork: HOST_NETWORK }),
    fix: metadataGuardFix({ hostNetwork: HOST_NETWORK, containerUid: CONTAINER_UID }),
  },
  {
    id: 'disk',
    title: { zh: '磁盘空间', en: 'Disk space' },
    explanation: {
      zh: '基础镜像存放在 Docker 的数据目录；Qwen-VL-Chat 权重（约 19.3 GB）和训练输出存放在工作目录 work_dir。两处都需要足够的可用空间（文档未列出此项）。',
      en: 'The base image goes to Docker’s data dir; the Qwen-VL-Chat weights (about 19.3 GB) and the training output go to the work dir. Both need room (the guide does not list this check).',
    },
    scope: 'host',
    params: ['workDir'],
    check: diskCheck(DISK),
  },
];

const containerItems: readonly GuideItem[] = [
  {
    id: 'image',
    title: { zh: '基础镜像', en: 'Base image' },
    explanation: {
      zh: '获取基础镜像。建议使用官方提供的镜像：docker pull {image_url}。镜像地址参见获取软件和镜像；已拉取过的镜像可以直接使用（docker images 可查看）。',
      en: 'Get the base image. The official image is recommended: docker pull {image_url}. The address is in the guide’s software and images table; an image already pulled can be used as it is (docker images lists it).',
    },
    scope: 'host',
    params: ['image'],
    check: imagePresentCheck(),
    fix: pullImageFix(),
  },
  {
    id: 'container',
    title: { zh: '启动容器', en: 'Container running' },
    explanation: {
      zh: '启动容器镜像。启动前请先按照参数说明修改${}中的参数，训练默认使用单机8卡。容器不能挂载到/home/ma-user目录,此目录为ma-user用户家目录。driver及npu-smi需同时挂载至容器。不要将多个容器绑到同一个NPU上,会导致后续的容器无法正常使用NPU功能。',
      en: 'Start the container. Set the ${…} parameters first; training uses the 8 NPUs of one server by default. The container cannot mount over /home/ma-user, the home of ma-user. The driver and npu-smi must be mounted together. Do not bind several containers to one NPU: the later containers cannot use it.',
    },
    scope: 'host',
    params: ['workDir', 'containerWorkDir', 'containerName', 'image'],
    check: containerRunningCheck(),
    fix: startContainerFix(),
  },
  {
    id: 'container-npu',
    title: { zh: '容器内的 NPU', en: 'NPUs in the container' },
    explanation: {
      zh: '进入容器（docker exec -it ${container_name} bash，默认使用ma-user用户）后 npu-smi info 应能列出挂载的 NPU。报错找不到 libc_sec.so 说明驱动目录没有挂载；npu-smi 是目录说明挂载源路径在宿主机上不存在。',
      en: 'Inside the container (docker exec -it ${container_name} bash, as ma-user by default) npu-smi info should list the mounted NPUs. A missing libc_sec.so means the driver dir is not mounted; npu-smi being a directory means the mount’s host path did not exist.',
    },
    scope: 'container',
    params: ['containerName'],
    check: containerNpuSmiCheck(),
  },
];

/** Steps 4–6 work in the container, on files under its work dir. */
const IN_CONTAINER_WORK_DIR = { scope: 'container', params: ['containerWorkDir', 'containerName'] } as const satisfies Pick<GuideItem, 'scope' | 'params'>;

/** 插件代码包: the AscendCloud-AIGC package of this release. */
const PACKAGE_VERSION = '6.3.910';

const codeItems: readonly GuideItem[] = [
  {
    id: 'code-package',
    title: { zh: '代码包', en: 'Code package' },
    explanation: {
      zh: `上传代码AscendCloud-AIGC-${PACKAGE_VERSION}-xxx.zip到工作目录中（包名中的xxx表示具体的时间戳）。文档此处写的是 6.3.906，但软件表与第 4 步都是 ${PACKAGE_VERSION}，与镜像配套的是 ${PACKAGE_VERSION}。上传会校验 sha256，中断后可续传。`,
      en: `Upload AscendCloud-AIGC-${PACKAGE_VERSION}-xxx.zip into the work dir (xxx is a timestamp). The guide says 6.3.906 here, but its software table and Step 4 say ${PACKAGE_VERSION}, the release the image belongs to. The upload is verified with sha256 and resumes after a drop.`,
    },
    scope: 'host',
    params: ['workDir'],
    check: codePackageCheck(PACKAGE_VERSION),
  },
];

const trainingEnvItems: readonly GuideItem[] = [
  {
    id: 'weights',
    title: { zh: 'Qwen-VL-Chat 权重', en: 'Qwen-VL-Chat weights' },
    explanation: {
      zh: '下载权重。从HuggingFace下载Qwen-VL-Chat,或将您已下载的权重文件上传到容器工作目录中。检查目录中的文件与文档的目录结构一致：10 个分片都在，pytorch_model.bin.index.json 指向的正是这些分片，且没有 Git LFS 指针文件。',
      en: 'Get the weights: download Qwen-VL-Chat from HuggingFace, or upload the copy you have into the container work dir. The folder is checked against the guide’s tree: all 10 shards present, pytorch_model.bin.index.json pointing at exactly them, and no Git LFS pointer files.',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: weightsCheck(),
    fix: downloadWeightsFix(),
  },
  {
    id: 'ownership',
    title: { zh: '文件属主', en: 'File owner' },
    explanation: {
      zh: '赋予容器访问权重文件的权限。上传文件到宿主机时使用的是root用户,此处需要执行 sudo chown -R ma-user:ma-group ${container_work_dir} 统一文件属主为ma-user用户。',
      en: 'Let the container read the weights. Files uploaded to the host belong to root; sudo chown -R ma-user:ma-group ${container_work_dir} gives them to ma-user.',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: ownershipCheck(),
    fix: ownershipFix(),
  },
  {
    id: 'install',
    title: { zh: '解压代码包并安装', en: 'Unzip the package and install' },
    explanation: {
      zh: `在容器中解压代码包并执行Qwen-VL安装脚本：unzip AscendCloud-AIGC-${PACKAGE_VERSION}-*.zip，rm -rf AscendCloud-AIGC-${PACKAGE_VERSION}-*，git config --global http.sslVerify false，bash multimodal_algorithm/QwenVL/train/…/qwen-vl_install.sh。`,
      en: `Unzip the package in the container and run the Qwen-VL install script: unzip AscendCloud-AIGC-${PACKAGE_VERSION}-*.zip, rm -rf AscendCloud-AIGC-${PACKAGE_VERSION}-*, git config --global http.sslVerify false, bash multimodal_algorithm/QwenVL/train/…/qwen-vl_install.sh.`,
    },
    ...IN_CONTAINER_WORK_DIR,
    check: installedCheck(),
    fix: installFix(PACKAGE_VERSION),
  },
  {
    id: 'modeling',
    title: { zh: '替换 modeling_qwen.py', en: 'Replace modeling_qwen.py' },
    explanation: {
      zh: 'cp -f ${container_work_dir}/multimodal_algorithm/ascendcloud_multimodal_plugin/ascendcloud_multimodal/train/models/qwenvl/modeling_qwen.py ${container_work_dir}/Qwen-VL-Chat',
      en: 'Copy the package’s NPU-adapted modeling_qwen.py over the one in the weights folder (cp -f …/ascendcloud_multimodal/train/models/qwenvl/modeling_qwen.py ${container_work_dir}/Qwen-VL-Chat).',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: modelingCheck(),
    fix: modelingFix(),
  },
];

const datasetItems: readonly GuideItem[] = [
  {
    id: 'dataset',
    title: { zh: '训练数据集', en: 'Training dataset' },
    explanation: {
      zh: '用户需自行制作数据集,并将数据集上传到容器的工作目录中,再赋予容器读写数据集目录的权限。将所有数据样本放到一个列表中并存入json文件中。图片路径会改写为图片在容器中的绝对路径（相对路径按训练进程的工作目录 Qwen-VL/ 解析，而不是数据集所在目录）。',
      en: 'Make the dataset and upload it into the container work dir, where the container can read it: one JSON file holding a list of samples. Image paths are rewritten to the images’ absolute paths in the container (training resolves relative paths against its own folder, Qwen-VL/, not the dataset’s).',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: datasetCheck(),
  },
];

const trainingItems: readonly GuideItem[] = [
  {
    id: 'script',
    title: { zh: '训练参数', en: 'Training settings' },
    explanation: {
      zh: '配置训练参数（finetune/finetune_ds.sh）。MODEL: 修改为权重文件实际路径；DATA: 修改为数据集路径；--output_dir: 训练后的权重所在目录名称,默认为output_qwen；--num_train_epochs: 训练轮数,默认为5。',
      en: 'Set the training parameters (finetune/finetune_ds.sh). MODEL: the weights folder; DATA: the dataset; --output_dir: where the trained weights go (output_qwen by default); --num_train_epochs: the number of epochs (5 by default).',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: scriptCheck(),
    fix: configureFix(),
  },
  {
    id: 'font',
    title: { zh: 'SimSun.ttf 字体', en: 'SimSun.ttf font' },
    explanation: {
      zh: '指导中没有这一项：Qwen-VL 的 tokenization_qwen.py 在训练启动时导入，若 Hugging Face 缓存和 Qwen-VL/ 中都没有 SimSun.ttf，就从 qianwen-res.oss-cn-beijing.aliyuncs.com 下载；无法访问外网的服务器会在这里失败。权重目录 Qwen-VL-Chat/ 中带有这个字体。',
      en: 'Not in the guide: Qwen-VL’s tokenization_qwen.py, imported when training starts, downloads SimSun.ttf from qianwen-res.oss-cn-beijing.aliyuncs.com unless the font is in the Hugging Face cache or in Qwen-VL/; a server without internet fails there. The weights folder Qwen-VL-Chat/ carries the font.',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: fontCheck(),
    fix: fontFix(),
  },
  {
    id: 'run',
    title: { zh: '训练任务', en: 'Training run' },
    explanation: {
      zh: '执行训练脚本 bash finetune/finetune_ds.sh > log_dir/xx.log。这里在后台启动它，并把 stderr 也写入日志（错误堆栈在 stderr 中）。日志里存在loss参数,loss参数随着训练迭代周期持续性减小,并逐渐趋于稳定平缓。',
      en: 'Run bash finetune/finetune_ds.sh > log_dir/xx.log. Here it starts detached, with stderr in the log too (tracebacks go to stderr). The loss in the log should keep falling and level off as training goes on.',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: trainingStatusCheck(),
    fix: launchFix(),
  },
  {
    id: 'output',
    title: { zh: '训练输出权重', en: 'Trained weights' },
    explanation: {
      zh: '训练输出权重路径：{container_work_dir}/Qwen-VL/output_qwen（finetune_ds.sh 的 --output_dir）。训练中每 --save_steps 步保存一个 checkpoint-N，训练结束时把模型写在这里。',
      en: 'Where the trained weights go: {container_work_dir}/Qwen-VL/output_qwen (finetune_ds.sh’s --output_dir). While training runs a checkpoint-N folder is saved every --save_steps steps; the model is written there when it ends.',
    },
    ...IN_CONTAINER_WORK_DIR,
    check: outputCheck(),
  },
];

/** "Qwen-VL基于DevServer适配PyTorch NPU的Finetune训练指导 (6.3.910)". */
export const modelartsQwenVl6310: Guide = {
  id: 'modelarts-6.3.910-qwen-vl',
  version: '6.3.910',
  title: {
    zh: 'Qwen-VL 基于 DevServer 适配 PyTorch NPU 的 Finetune 训练指导 (6.3.910)',
    en: 'Fine-tuning Qwen-VL on a DevServer with PyTorch NPU (ModelArts 6.3.910)',
  },
  // "为方便两个地址可以相同": the guide's example container dir is /home/ma-user/ws.
  defaults: { workDir: '/home/ma-user/ws', containerWorkDir: '/home/ma-user/ws', containerName: 'qwen-vl', image: IMAGE },
  dockerRun: {
    npus: [0, 1, 2, 3, 4, 5, 6, 7],
    shmSize: '64g',
    hostNetwork: HOST_NETWORK,
    mounts: [
      { host: '/usr/local/dcmi', container: '/usr/local/dcmi', readOnly: false },
      { host: '/usr/local/Ascend/driver', container: '/usr/local/Ascend/driver', readOnly: false },
      { host: '/var/log/npu/', container: '/usr/slog', readOnly: false },
      { host: '/usr/local/bin/npu-smi', container: '/usr/local/bin/npu-smi', readOnly: false },
    ],
  },
  steps: [
    {
      id: 'environment',
      title: { zh: '检查环境', en: 'Check the environment' },
      summary: {
        zh: 'SSH 可达；8 张 NPU 卡健康且空闲，驱动 23.0.6；已安装 Docker；IP 转发已开启；容器不能访问 169.254.169.254。',
        en: 'SSH works; 8 healthy, idle NPUs on driver 23.0.6; Docker installed; IP forwarding on; containers kept away from 169.254.169.254.',
      },
      items: environmentItems,
    },
    {
      id: 'container',
      title: { zh: '启动镜像', en: 'Start the image' },
      summary: {
        zh: '拉取 pytorch_2.1.0 / CANN 8.0.RC3 基础镜像，挂载 8 张卡、驱动与 npu-smi 启动容器。',
        en: 'Pull the pytorch_2.1.0 / CANN 8.0.RC3 base image and start a container with the 8 cards, the driver and npu-smi mounted.',
      },
      items: containerItems,
    },
    {
      id: 'code',
      title: { zh: '获取代码并上传', en: 'Upload the code package' },
      summary: {
        zh: '将 AscendCloud-AIGC-6.3.910-*.zip 上传到容器工作目录，版本与镜像一致。',
        en: 'Upload AscendCloud-AIGC-6.3.910-*.zip into the container work dir, matching the image version.',
      },
      items: codeItems,
    },
    {
      id: 'training-env',
      title: { zh: '准备训练环境', en: 'Prepare the training environment' },
      summary: {
        zh: '上传或下载 Qwen-VL-Chat 权重，统一属主为 ma-user，解压代码包，执行安装脚本，复制 modeling_qwen.py。',
        en: 'Upload or download the Qwen-VL-Chat weights, chown to ma-user, unzip the package, run the install script, copy modeling_qwen.py.',
      },
      items: trainingEnvItems,
    },
    {
      id: 'dataset',
      title: { zh: '准备训练数据集', en: 'Prepare the dataset' },
      summary: {
        zh: '校验数据集 JSON，连同图片上传，并把图片路径改写为容器内路径。',
        en: 'Validate the dataset JSON, upload it with its images, and rewrite image paths to where they land in the container.',
      },
      items: datasetItems,
    },
    {
      id: 'training',
      title: { zh: '开始训练', en: 'Start training' },
      summary: {
        zh: '配置 finetune/finetune_ds.sh（MODEL、DATA、输出目录、轮数），后台启动训练并查看 loss 曲线。',
        en: 'Set MODEL, DATA, the output dir and epochs in finetune/finetune_ds.sh, launch training detached, and read the loss curve.',
      },
      items: trainingItems,
    },
  ],
};
