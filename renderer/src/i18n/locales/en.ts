export const en = {
  app: {
    name: 'Qwen-VL Studio',
    runtime: { electron: 'Desktop app', web: 'Browser mode' },
  },
  nav: {
    label: 'Work areas',
    guide: 'Guide',
    terminal: 'Terminal',
    dataset: 'Dataset',
  },
  toolbar: {
    language: 'Language',
    languageSystem: 'System language',
    theme: 'Theme',
    themeSystem: 'Follow system',
    themeLight: 'Light',
    themeDark: 'Dark',
    toggleHosts: 'Show or hide the host sidebar',
    toggleLoss: 'Show or hide the loss panel',
    shortcuts: 'Keyboard shortcuts',
  },
  hosts: {
    title: 'DevServers',
    emptyTitle: 'No DevServers yet',
    emptyBody: 'Servers you add, or import from ~/.ssh/config, appear here with their connection status. Several can be connected at once for multi-node training.',
  },
  guide: {
    stepLabel: 'Step {{n}}',
    notChecked: 'Not checked',
    emptyTitle: 'Connect a DevServer to begin',
    emptyBody: 'Each step below is checked on the server by the app itself, explained, and fixed with your consent, in the guide’s order.',
    steps: 'Steps of the guide',
  },
  terminal: {
    emptyTitle: 'No terminal open',
    emptyBody: 'Connect a DevServer, then open a host shell or the training container’s shell (docker exec, as ma-user) here, in tabs.',
  },
  dataset: {
    emptyTitle: 'No dataset open',
    emptyBody: 'Open a folder of images or a Qwen-VL dataset JSON to draw boxes and write the conversations training reads.',
  },
  loss: {
    title: 'Loss',
    close: 'Close the loss panel',
    resize: 'Resize the loss panel',
    emptyTitle: 'No training log yet',
    emptyBody: 'Open a training log, or follow the run started in Step 6, to see its loss curve and whether the run is healthy.',
  },
  status: {
    connected: 'Connected to the local server',
    reconnecting: 'Reconnecting to the local server…',
    lost: 'Lost the local server. Restart `npm run web` and open the new URL it prints.',
  },
  shortcuts: {
    title: 'Keyboard shortcuts',
    close: 'Close',
    showGuide: 'Go to the guide',
    showTerminal: 'Go to the terminal',
    showDataset: 'Go to the dataset builder',
    toggleLoss: 'Show or hide the loss panel',
    toggleHosts: 'Show or hide the host sidebar',
    help: 'Show this list',
  },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** Every language provides exactly these keys; the type checker finds a missing translation. */
export type Messages = Widen<typeof en>;
