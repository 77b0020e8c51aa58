/**
 * What each failure the training-log parser finds (shared/trainingLog/failures.ts) means for a
 * Qwen-VL run on Ascend, and what to do: the parser finds them, this only explains them.
 */
import type { LocalizedText } from '../i18n/localizedText';
import type { FailureKind } from '../trainingLog';

export const FAILURE_EXPLANATIONS: Readonly<Record<FailureKind, LocalizedText>> = {
  'npu-oom': {
    zh: 'NPU 显存不足（910B 约 61 GiB）：减小 per_device_train_batch_size 或 model_max_length，保持 gradient_checkpointing True，或使用 ZeRO-3。',
    en: 'The NPU ran out of memory (about 61 GiB on a 910B): lower per_device_train_batch_size or model_max_length, keep gradient_checkpointing True, or use ZeRO-3.',
  },
  'cuda-oom': {
    zh: 'GPU 显存不足：减小 batch 或 model_max_length。在 NPU 上出现说明走了 CUDA 路径。',
    en: 'The GPU ran out of memory: lower the batch or model_max_length. On NPUs this means the CUDA path was taken.',
  },
  'hccl-timeout': {
    zh: 'HCCL 集合通信超时：通常是另一个 rank 先出错了，请在日志中往前找；多机时检查网卡（HCCL_SOCKET_IFNAME）和 HCCL_CONNECT_TIMEOUT。',
    en: 'An HCCL collective timed out: usually another rank failed first, so look earlier in the log; across nodes check the NIC (HCCL_SOCKET_IFNAME) and HCCL_CONNECT_TIMEOUT.',
  },
  'rendezvous-timeout': {
    zh: '各节点没有会合：每个节点的 torchrun 都要在 MASTER_ADDR:MASTER_PORT 上等齐其他节点。请确认每个节点都已启动训练；MASTER_ADDR 是 rank 0 节点上其他节点能连到的地址（不是 127.0.0.1）；该端口在节点之间放通（安全组）；各节点的 NNODES 相同、NODE_RANK 各不相同。',
    en: 'The nodes never met: torchrun on every node waits for all the others at MASTER_ADDR:MASTER_PORT. Check that training was started on every node; that MASTER_ADDR is the rank-0 node’s address as the other nodes reach it (not 127.0.0.1); that the port is open between the nodes (security group); and that NNODES is the same and NODE_RANK different on every node.',
  },
  'master-port-in-use': {
    zh: 'MASTER_PORT 在主节点上已被占用：另一个训练（或已停止训练的残留进程）在监听这个端口。先停掉它，或在所有节点上换一个 MASTER_PORT。',
    en: 'MASTER_PORT is already taken on the master node: another run (or what is left of a stopped one) listens on it. Stop it, or set another MASTER_PORT on every node.',
  },
  'hccl-error': { zh: 'HCCL 通信出错：检查各节点网络、NODE_RANK 与 MASTER_ADDR。', en: 'HCCL communication failed: check the nodes’ network, NODE_RANK and MASTER_ADDR.' },
  'npu-stream-timeout': { zh: 'NPU 流同步超时：某个算子卡住或设备异常，检查 npu-smi 的健康状态。', en: 'An NPU stream synchronize timed out: an operator hung or a device failed; check npu-smi’s health.' },
  'npu-error': { zh: 'torch_npu 调用 ACL 失败：错误码之前的行说明了原因。', en: 'torch_npu failed calling ACL: the lines before the error code say why.' },
  'nccl-timeout': { zh: 'NCCL 集合通信超时。', en: 'An NCCL collective timed out.' },
  'nccl-on-npu': {
    zh: 'DeepSpeed 在 NPU 上使用了 nccl 后端：torch_npu 的 transfer_to_npu 没有生效，请确认在代码包的环境中运行。',
    en: 'DeepSpeed used the nccl backend on NPUs: torch_npu’s transfer_to_npu did not take effect; run inside the package’s environment.',
  },
  'deepspeed-prefetch-bucket-size': {
    zh: 'deepspeed ≥ 0.15 不接受 "auto" 的 stage3_prefetch_bucket_size：在训练表单中勾选改为整数 15099494（华为文档的解决方法）。',
    en: 'deepspeed ≥ 0.15 rejects stage3_prefetch_bucket_size "auto": tick the fix in the training form to write the integer 15099494 (Huawei’s fix).',
  },
  'loss-scale-minimum': { zh: 'fp16 损失缩放已到最小值，训练发散：请使用 bf16。', en: 'The fp16 loss scale hit its minimum and training diverged: use bf16.' },
  'simsun-download': {
    zh: 'Qwen-VL 的 tokenization_qwen.py 在导入时要从 qianwen-res.oss-cn-beijing.aliyuncs.com 下载字体 SimSun.ttf（除非它已在 HuggingFace 缓存或训练的当前目录中），而这台服务器连不上外网。把字体放到位：将权重目录里的 SimSun.ttf 复制到 Qwen-VL/ 下（训练从这里启动；即本步骤“SimSun.ttf 字体”一项的“复制 SimSun.ttf”），然后重新启动训练。',
    en: 'Qwen-VL’s tokenization_qwen.py downloads the font SimSun.ttf from qianwen-res.oss-cn-beijing.aliyuncs.com when it is imported (unless the font is in the Hugging Face cache or in the directory training starts from), and this server cannot reach the internet. Put the font in place: copy SimSun.ttf from the weights folder into Qwen-VL/ (where training starts: “Copy SimSun.ttf” on this step’s SimSun.ttf font item), then start training again.',
  },
  killed: { zh: '进程被杀死（常见原因：主机内存不足被 OOM killer 终止）。', en: 'A process was killed (often the host’s OOM killer, out of RAM).' },
  segfault: { zh: '进程段错误崩溃。', en: 'A process crashed with a segmentation fault.' },
  'worker-failed': { zh: 'torchrun 报告有 worker 失败：真正的错误在它之前的行。', en: 'torchrun reports a failed worker: the real error is in the lines before.' },
  'python-error': { zh: 'Python 抛出了异常：见下面的行。', en: 'Python raised an exception: see the line below.' },
  traceback: { zh: 'Python 报错退出：见日志中的 Traceback。', en: 'Python stopped with a traceback: see it in the log.' },
};

/**
 * The failure that explains a run best: the first of the most specific kind (an OOM or a timeout
 * says more than the traceback or torchrun's "worker failed" that follow it).
 */
export function decisiveFailure<T extends { kind: FailureKind }>(failures: readonly T[]): T | null {
  const generic: readonly FailureKind[] = ['worker-failed', 'python-error', 'traceback'];
  return failures.find((failure) => !generic.includes(failure.kind)) ?? failures.find((failure) => failure.kind === 'python-error') ?? failures[0] ?? null;
}
