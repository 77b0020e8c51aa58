// A process that edits a dataset through the workspace service and says "ack N" once edit N has
// resolved (so it is in the journal), for the test that kills it with SIGKILL mid-session.
// Usage: tsx datasetEditChild.ts <dataDir> <dataset file> <autosave delay ms> <pause ms>
// Edit N rewrites the first turn of sample N mod count as "edit N"; every fifth edit also appends
// a sample with id "new-N" first. After every fourth edit it pauses (so autosaves can run between
// bursts, as they do between an annotator's drags).

import { DatasetWorkspaceService } from '../../electron/main/services/dataset/workspaceService';

const [dataDir, file, delay, pause] = process.argv.slice(2);
if (!dataDir || !file || !delay || !pause) throw new Error('usage: datasetEditChild.ts <dataDir> <file> <autosave delay ms> <pause ms>');

const service = new DatasetWorkspaceService({ dataDir, home: dataDir, onChange: () => undefined, onProgress: () => undefined, autosaveDelayMs: Number(delay) });
const info = await service.open({ file });
process.stdout.write(`open ${info.sampleCount}\n`);
let count = info.sampleCount;
for (let n = 0; ; n++) {
  if (n % 5 === 0) {
    await service.insert(info.id, count, { id: `new-${n}`, turns: [{ from: 'user', value: `inserted ${n}` }], reviewed: false });
    count++;
  }
  const index = n % count;
  const { sample } = service.sample(info.id, index);
  const [first, ...rest] = sample.turns;
  await service.update(info.id, index, { ...sample, turns: [{ from: first?.from ?? 'user', value: `edit ${n}` }, ...rest] });
  process.stdout.write(`ack ${n}\n`);
  if (n % 4 === 3) await new Promise((resolve) => setTimeout(resolve, Number(pause)));
}
