import type { Guide } from './guideTypes';

/** "Qwen-VL基于DevServer适配PyTorch NPU的Finetune训练指导 (6.3.910)". */
export const modelartsQwenVl6310: Guide = {
  id: 'modelarts-6.3.910-qwen-vl',
  version: '6.3.910',
  title: {
    zh: 'Qwen-VL 基于 DevServer 适配 PyTorch NPU 的 Finetune 训练指导 (6.3.910)',
    en: 'Fine-tuning Qwen-VL on a DevServer with PyTorch NPU (ModelArts 6.3.910)',
  },
  steps: [
    {
      id: 'environment',
      title: { zh: '检查环境', en: 'Check the environment' },
      summary: {
        zh: 'SSH 可达；8 张 NPU 卡健康且空闲，驱动 23.0.6；已安装 Docker；IP 转发已开启；容器不能访问 169.254.169.254。',
        en: 'SSH works; 8 healthy, idle NPUs on driver 23.0.6; Docker installed; IP forwarding on; containers kept away from 169.254.169.254.',
      },
    },
    {
      id: 'container',
      title: { zh: '启动镜像', en: 'Start the image' },
      summary: {
        zh: '拉取 pytorch_2.1.0 / CANN 8.0.RC3 基础镜像，挂载 8 张卡、驱动与 npu-smi 启动容器。',
        en: 'Pull the pytorch_2.1.0 / CANN 8.0.RC3 base image and start a container with the 8 cards, the driver and npu-smi mounted.',
      },
    },
    {
      id: 'code',
      title: { zh: '获取代码并上传', en: 'Upload the code package' },
      summary: {
        zh: '将 AscendCloud-AIGC-6.3.910-*.zip 上传到容器工作目录，版本与镜像一致。',
        en: 'Upload AscendCloud-AIGC-6.3.910-*.zip into the container work dir, matching the image version.',
      },
    },
    {
      id: 'training-env',
      title: { zh: '准备训练环境', en: 'Prepare the training environment' },
      summary: {
        zh: '上传或下载 Qwen-VL-Chat 权重，统一属主为 ma-user，解压代码包，执行安装脚本，复制 modeling_qwen.py。',
        en: 'Upload or download the Qwen-VL-Chat weights, chown to ma-user, unzip the package, run the install script, copy modeling_qwen.py.',
      },
    },
    {
      id: 'dataset',
      title: { zh: '准备训练数据集', en: 'Prepare the dataset' },
      summary: {
        zh: '校验数据集 JSON，连同图片上传，并把图片路径改写为容器内路径。',
        en: 'Validate the dataset JSON, upload it with its images, and rewrite image paths to where they land in the container.',
      },
    },
    {
      id: 'training',
      title: { zh: '开始训练', en: 'Start training' },
      summary: {
        zh: '配置 finetune/finetune_ds.sh（MODEL、DATA、输出目录、轮数），后台启动训练并查看 loss 曲线。',
        en: 'Set MODEL, DATA, the output dir and epochs in finetune/finetune_ds.sh, launch training detached, and read the loss curve.',
      },
    },
  ],
};
