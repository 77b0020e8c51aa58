import type { Messages } from './en';

export const zh: Messages = {
  app: {
    name: 'Qwen-VL Studio',
    runtime: { electron: '桌面应用', web: '浏览器模式' },
  },
  nav: {
    label: '工作区',
    guide: '指南',
    terminal: '终端',
    dataset: '数据集',
  },
  toolbar: {
    language: '语言',
    languageSystem: '跟随系统语言',
    theme: '主题',
    themeSystem: '跟随系统',
    themeLight: '浅色',
    themeDark: '深色',
    toggleHosts: '显示或隐藏主机侧栏',
    toggleLoss: '显示或隐藏 Loss 面板',
    shortcuts: '键盘快捷键',
  },
  hosts: {
    title: 'DevServer',
    emptyTitle: '还没有 DevServer',
    emptyBody: '添加或从 ~/.ssh/config 导入的服务器会显示在这里，并附带连接状态。多机训练时可同时连接多台。',
  },
  guide: {
    stepLabel: '第 {{n}} 步',
    notChecked: '未检查',
    emptyTitle: '连接一台 DevServer 以开始',
    emptyBody: '下面每一步都会由应用在服务器上按指南顺序自动检查、说明，并在您同意后修复。',
    steps: '指南步骤',
  },
  terminal: {
    emptyTitle: '没有打开的终端',
    emptyBody: '连接 DevServer 后，可在此以标签页打开主机 Shell 或训练容器的 Shell（docker exec，默认 ma-user 用户）。',
  },
  dataset: {
    emptyTitle: '没有打开的数据集',
    emptyBody: '打开图片文件夹或 Qwen-VL 数据集 JSON，即可画框并编写训练所读取的对话。',
  },
  loss: {
    title: 'Loss',
    close: '关闭 Loss 面板',
    resize: '调整 Loss 面板宽度',
    emptyTitle: '还没有训练日志',
    emptyBody: '打开训练日志，或跟踪第 6 步启动的训练，即可查看 loss 曲线并判断训练是否健康。',
  },
  status: {
    connected: '已连接本地服务',
    reconnecting: '正在重新连接本地服务…',
    lost: '本地服务已断开。请重新运行 `npm run web` 并打开它打印的新网址。',
  },
  shortcuts: {
    title: '键盘快捷键',
    close: '关闭',
    showGuide: '转到指南',
    showTerminal: '转到终端',
    showDataset: '转到数据集构建器',
    toggleLoss: '显示或隐藏 Loss 面板',
    toggleHosts: '显示或隐藏主机侧栏',
    help: '显示此列表',
  },
};
