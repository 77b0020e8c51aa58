import { basename, extname } from 'node:path';
import type { ConversionProblem } from '../../shared/dataset/import/importTypes';
import { sharegptDatasetInfo } from '../../shared/dataset/export/sharegpt';
import type { SampleTemplate } from '../../shared/dataset/templates';
import { DEFAULT_TEMPLATE_ID, SAMPLE_TEMPLATES, customTemplate, findTemplate } from '../../shared/dataset/templates';
import { ConvertInputError } from '../main/services/dataset/annotationSources';
import type { ConvertReport, SourceFormat, TargetFormat } from '../main/services/dataset/convertDataset';
import { SOURCE_FORMATS, TARGET_FORMATS, convertDataset } from '../main/services/dataset/convertDataset';
import { parseCommandArgs, usageError } from './commandArgs';
import { ExitCode } from './exitCodes';
import type { CliCommand, CliIo } from './runCli';

const NAME = 'dataset convert';

const USAGE = `Usage: qvl dataset convert --from coco|voc|yolo|labelme <input> -o <out.json> [options]

Turns detection annotations into Qwen-VL grounding conversations (the guide's Step 5 JSON): each
image with boxes becomes one sample, its boxes written <ref>label</ref><box>(x1,y1),(x2,y2)</box>
in integers of [0,1000) of the image's size.

Inputs:
  coco      a COCO JSON file (bbox [x, y, w, h] in pixels)
  voc       a folder of Pascal VOC XML files, or one file (devkit corners: 1-based, inclusive)
  yolo      a folder of YOLO label .txt files (normalised centres), with classes.txt beside them
            or a data.yaml above them; each image is measured
  labelme   a LabelMe JSON file or a folder of them (rectangles; other shapes are left out)

Options:
  -o, --output FILE    the file to write, atomically; never one of the inputs
  --to FORMAT          qwen (default): Qwen-VL JSON; sharegpt: LLaMA-Factory (messages, images,
                       boxes kept as Qwen-VL text); swift: ms-swift JSON Lines (objects, norm1)
  --template NAME      how boxes become turns (default ${DEFAULT_TEMPLATE_ID}):
${SAMPLE_TEMPLATES.map((template) => `                         ${template.id.padEnd(14)}${template.kind === 'per-label' ? 'one question per label' : 'every box in one answer'}: ${template.prompt}`).join('\n')}
  --prompt TEXT        your own question instead; with {label} in it, one question per label
  --images DIR         the folder the annotations' image names are relative to (default: the
                       JSON's folder; VOC: ../JPEGImages; YOLO: labels/… → images/…)
  --image-prefix P     write image paths under P, where training will find them, instead of
                       their absolute paths on this machine
  --classes FILE       YOLO class names (classes.txt, obj.names or data.yaml)
  --json               print { "from", "to", "input", "output", "template", "written", "images",
                       "boxes", "samples", "problems": [ { "severity", "file", "item", "message" } ] }
  -h, --help           show this help

Bad entries (malformed files, unknown categories, inverted or empty boxes, missing images) are
reported and left out; boxes reaching outside the image are clamped with a warning.

Exit codes: 0 written, 1 written without some entries (errors) or nothing to write, 2 usage or
unreadable input.
`;

const TARGET_NAMES: Record<TargetFormat, string> = { qwen: 'Qwen-VL JSON', sharegpt: 'LLaMA-Factory sharegpt JSON', swift: 'ms-swift JSON Lines' };
const PRINTED_PROBLEMS = 30;

function isOneOf<T extends string>(values: readonly T[], value: string | undefined): value is T {
  return values.includes(value as T);
}

function chooseTemplate(name: string | undefined, prompt: string | undefined): SampleTemplate | string {
  if (name !== undefined && prompt !== undefined) return 'choose --template or --prompt, not both';
  if (prompt !== undefined) {
    const custom = customTemplate(prompt);
    return 'error' in custom ? `--prompt: ${custom.error}` : custom;
  }
  return findTemplate(name ?? DEFAULT_TEMPLATE_ID) ?? `unknown template "${name}" (known: ${SAMPLE_TEMPLATES.map((template) => template.id).join(', ')})`;
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

function problemLine({ severity, file, item, message }: ConversionProblem): string {
  return `  ${severity.padEnd(7)} ${file}${item ? ` ${item}` : ''}: ${message}\n`;
}

function datasetInfoName(output: string): string {
  return basename(output, extname(output));
}

function writeReport(io: CliIo, report: ConvertReport, request: { input: string; output: string; to: TargetFormat; template: SampleTemplate }): void {
  const { images, boxes, samples, written, problems } = report;
  io.stdout.write(`${request.input}: ${plural(images, 'image')}, ${plural(boxes, 'box', 'boxes')} in ${plural(samples, 'sample')} (${request.template.id})`);
  io.stdout.write(written ? `, written to ${request.output} as ${TARGET_NAMES[request.to]}\n` : ', nothing written\n');
  for (const entry of problems.slice(0, PRINTED_PROBLEMS)) io.stdout.write(problemLine(entry));
  if (problems.length > PRINTED_PROBLEMS) io.stdout.write(`  … and ${problems.length - PRINTED_PROBLEMS} more (--json lists them all)\n`);
  if (problems.length) {
    const count = (severity: ConversionProblem['severity']) => problems.filter((entry) => entry.severity === severity).length;
    io.stdout.write(`${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('note'), 'note')}\n`);
  }
  if (written && request.to === 'sharegpt') {
    const entry = JSON.stringify({ [datasetInfoName(request.output)]: sharegptDatasetInfo(basename(request.output)) }, null, 2);
    io.stdout.write(`For LLaMA-Factory, add to data/dataset_info.json (and copy the file into data/):\n${entry.slice(2, -2)}\n`);
  }
}

export const datasetConvertCommand: CliCommand = {
  name: 'convert',
  summary: 'COCO, Pascal VOC, YOLO or LabelMe annotations → Qwen-VL grounding conversations',
  async run(args, io) {
    const parsed = parseCommandArgs(NAME, USAGE, io, args, {
      from: { type: 'string' },
      to: { type: 'string', default: 'qwen' },
      output: { type: 'string', short: 'o' },
      template: { type: 'string' },
      prompt: { type: 'string' },
      images: { type: 'string' },
      'image-prefix': { type: 'string' },
      classes: { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (typeof parsed === 'number') return parsed;
    const { values, positionals } = parsed;
    if (!isOneOf<SourceFormat>(SOURCE_FORMATS, values.from)) return usageError(NAME, USAGE, io, values.from === undefined ? 'say which format the input is in with --from' : `--from ${values.from}: use one of ${SOURCE_FORMATS.join(', ')}`);
    if (!isOneOf<TargetFormat>(TARGET_FORMATS, values.to)) return usageError(NAME, USAGE, io, `--to ${values.to}: use one of ${TARGET_FORMATS.join(', ')}`);
    if (positionals.length !== 1) return usageError(NAME, USAGE, io, positionals.length ? 'name one input' : 'name the input file or folder');
    if (!values.output) return usageError(NAME, USAGE, io, 'name the file to write with -o');
    if (values.classes !== undefined && values.from !== 'yolo') return usageError(NAME, USAGE, io, '--classes is for --from yolo');
    const template = chooseTemplate(values.template, values.prompt);
    if (typeof template === 'string') return usageError(NAME, USAGE, io, template);
    const request = {
      from: values.from,
      to: values.to,
      input: positionals[0] as string,
      output: values.output,
      template,
      images: values.images,
      imagePrefix: values['image-prefix'],
      classes: values.classes,
    };
    let report: ConvertReport;
    try {
      report = await convertDataset(request);
    } catch (error) {
      const known = error instanceof ConvertInputError;
      io.stderr.write(`qvl ${NAME}: ${known ? error.message : `cannot convert: ${(error as Error).message}`}\n`);
      return ExitCode.Usage;
    }
    if (values.json) {
      const summary = { from: request.from, to: request.to, input: request.input, output: request.output, template: template.id, ...report };
      const withInfo = report.written && request.to === 'sharegpt' ? { ...summary, datasetInfo: { [datasetInfoName(request.output)]: sharegptDatasetInfo(basename(request.output)) } } : summary;
      io.stdout.write(`${JSON.stringify(withInfo, null, 2)}\n`);
    } else writeReport(io, report, request);
    return !report.written || report.problems.some((entry) => entry.severity === 'error') ? ExitCode.CheckFailed : ExitCode.Ok;
  },
};
