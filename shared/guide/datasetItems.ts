/**
 * Step 5: the training dataset in the container's data folder, uploaded with its images by the
 * wizard (its image paths rewritten to where they land). The check names the newest dataset
 * there, which Step 6 points DATA at.
 */
import { z } from 'zod';
import { sh } from '../remote/remoteCommand';
import { HostId } from '../hosts/hostProfile';
import { failureText, outputAt } from './checkOutputs';
import { GuideParams } from './guideParams';
import type { ItemCheck } from './guideTypes';
import { DATA_DIR, inContainer } from './workPaths';

export const DatasetUploadRequest = z.object({ hostId: HostId, params: GuideParams, workspaceId: z.string().min(1).max(200) });
export type DatasetUploadRequest = z.infer<typeof DatasetUploadRequest>;

/** `find -printf '%T@\t%f\t%s\n'`: modified time, name, size. */
export function parseDatasets(text: string): { name: string; bytes: number; modified: number }[] {
  return text
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((cells) => cells.length === 3 && /^\d+$/.test(cells[2] ?? ''))
    .map(([modified, name, bytes]) => ({ name: name ?? '', bytes: Number(bytes), modified: Number(modified) }))
    .sort((a, b) => b.modified - a.modified);
}

export function datasetCheck(): ItemCheck {
  return {
    commands: (params) => [sh`mkdir -p ${inContainer(params, DATA_DIR)} && find ${inContainer(params, DATA_DIR)} -maxdepth 1 -type f -name '*.json' -printf '%T@\t%f\t%s\n'`],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: '无法列出数据目录。', en: 'The data folder could not be listed.' }, evidence: failureText(output) };
      const [newest] = parseDatasets(output.stdout);
      if (!newest) {
        return {
          status: 'fail',
          summary: { zh: `${inContainer(params, DATA_DIR)} 中还没有数据集：选择一个数据集，校验后连同图片上传。`, en: `There is no dataset in ${inContainer(params, DATA_DIR)} yet: choose one, validate it and upload it with its images.` },
          evidence: '',
        };
      }
      const path = inContainer(params, DATA_DIR, newest.name);
      return {
        status: 'pass',
        summary: { zh: `数据集 ${path} 已在容器中（${newest.bytes} 字节）。`, en: `The dataset ${path} is in the container (${newest.bytes} bytes).` },
        evidence: parseDatasets(output.stdout)
          .map((found) => `${found.name}  ${found.bytes}`)
          .join('\n'),
        facts: { dataset: path },
      };
    },
  };
}
