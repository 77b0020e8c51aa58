import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { blackPng } from '../support/pngImages';

const run = promisify(execFile);
const FIXTURES = join(process.cwd(), 'test/fixtures/dataset-import');

async function qvl(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(process.cwd(), 'dist/cli/qvl.mjs'), 'dataset', 'convert', ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A valid greyscale PNG of the given size, all black. */
function writePng(path: string, width: number, height: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, blackPng(width, height));
}

function place(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

interface Summary {
  written: boolean;
  images: number;
  boxes: number;
  samples: number;
  problems: Array<{ severity: string; file: string; item: string; message: string }>;
}

describe('qvl dataset convert', () => {
  let dir: string;

  beforeAll(async () => {
    await run(process.execPath, ['scripts/build-node.mjs', 'cli']);
    dir = mkdtempSync(join(tmpdir(), 'qvl-convert-'));
    // An Ultralytics layout: data.yaml at the top, labels/train beside images/train.
    place(join(dir, 'yolo'), {
      'data.yaml': 'path: .\ntrain: images/train\nnames:\n  0: person\n  1: car\n  2: traffic light\n',
      'labels/train/street.txt': readFileSync(join(FIXTURES, 'yolo/labels/street.txt'), 'utf8'),
      'labels/train/lot.txt': readFileSync(join(FIXTURES, 'yolo/labels/lot.txt'), 'utf8'),
      'labels/train/ghost.txt': '0 0.5 0.5 0.1 0.1\n',
    });
    writePng(join(dir, 'yolo/images/train/street.png'), 640, 480);
    writePng(join(dir, 'yolo/images/train/lot.png'), 640, 480);
  });

  it('converts a YOLO folder, measuring each image, into the guide’s JSON with hand-computed boxes', async () => {
    const out = join(dir, 'yolo.json');
    const result = await qvl(['--from', 'yolo', join(dir, 'yolo/labels/train'), '--image-prefix', '/home/ma-user/ws/data', '-o', out, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1); // written, but some lines were left out
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ from: 'yolo', to: 'qwen', template: 'grounding-zh', written: true, images: 2, boxes: 4, samples: 2 });
    expect(summary.problems.map(({ severity, item }) => `${severity} ${item}`)).toEqual(['error ', 'warning line 3 (person)', 'error line 4', 'error line 5', 'error line 6', 'error line 7']);
    expect(summary.problems[0]?.message).toMatch(/^no image called ghost \(\.jpg, \.png, …\) in .*images\/train; YOLO labels hold no size/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([
      {
        id: 'lot',
        conversations: [
          { from: 'user', value: 'Picture 1: <img>/home/ma-user/ws/data/lot.png</img>\n框出图中的car' },
          // 1 0.25 0.75 0.5 0.5 on 640×480 → pixels (0,240)-(320,480) → 0, 500, 500, 1000 → 999
          { from: 'assistant', value: '<ref>car</ref><box>(0,500),(500,999)</box>' },
        ],
      },
      {
        id: 'street',
        conversations: [
          { from: 'user', value: 'Picture 1: <img>/home/ma-user/ws/data/street.png</img>\n框出图中的person' },
          // (240,120)-(400,360) → 375, 250, 625, 750; (−32→0,192)-(96,288) → 0, 400, 150, 600
          { from: 'assistant', value: '<ref>person</ref><box>(375,250),(625,750)</box><box>(0,400),(150,600)</box>' },
          { from: 'user', value: '框出图中的traffic light' },
          // (48,72)-(80,120) → 75, 150, 125, 250
          { from: 'assistant', value: '<ref>traffic light</ref><box>(75,150),(125,250)</box>' },
        ],
      },
    ]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes LLaMA-Factory sharegpt and ms-swift JSON Lines from the same input', async () => {
    const sharegpt = join(dir, 'yolo_sharegpt.json');
    const shared = await qvl(['--from', 'yolo', join(dir, 'yolo/labels/train'), '--to', 'sharegpt', '--template', 'describe-en', '--image-prefix', 'data', '-o', sharegpt]);
    expect(shared.stdout).toMatch(/2 images, 4 boxes in 2 samples \(describe-en\), written to .*yolo_sharegpt\.json as LLaMA-Factory sharegpt JSON/);
    expect(shared.stdout).toContain('"yolo_sharegpt": {\n    "file_name": "yolo_sharegpt.json",\n    "formatting": "sharegpt"');
    expect(JSON.parse(readFileSync(sharegpt, 'utf8'))[1]).toEqual({
      messages: [
        { role: 'user', content: '<image>Box every object in the image' },
        { role: 'assistant', content: '<ref>person</ref><box>(375,250),(625,750)</box><box>(0,400),(150,600)</box>\n<ref>traffic light</ref><box>(75,150),(125,250)</box>' },
      ],
      images: ['data/street.png'],
    });
    const swift = join(dir, 'yolo_swift.jsonl');
    expect((await qvl(['--from', 'yolo', join(dir, 'yolo/labels/train'), '--to', 'swift', '--image-prefix', 'data', '-o', swift])).code).toBe(1);
    const lines = readFileSync(swift, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const street = JSON.parse(lines[1]!) as { messages: unknown; images: string[]; objects: string };
    expect(street.messages).toEqual([
      { role: 'user', content: '<image>框出图中的person' },
      { role: 'assistant', content: '<ref-object><bbox><bbox>' },
      { role: 'user', content: '框出图中的traffic light' },
      { role: 'assistant', content: '<ref-object><bbox>' },
    ]);
    expect(JSON.parse(street.objects)).toEqual({ ref: ['person', 'traffic light'], bbox: [[0.375, 0.25, 0.625, 0.75], [0, 0.4, 0.15, 0.6], [0.075, 0.15, 0.125, 0.25]], bbox_type: 'norm1' });
  });

  it('converts COCO with its images beside it, and checks each image file', async () => {
    const coco = join(dir, 'coco');
    mkdirSync(coco, { recursive: true });
    copyFileSync(join(FIXTURES, 'coco/instances.json'), join(coco, 'instances.json'));
    writePng(join(coco, 'images/street.png'), 640, 480);
    writePng(join(coco, 'images/city/wide.png'), 1280, 720); // not the 1920×1080 the annotation says
    const out = join(dir, 'coco.json');
    const result = await qvl(['--from', 'coco', join(coco, 'instances.json'), '--images', join(coco, 'images'), '-o', out, '--json']);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ written: true, images: 3, boxes: 5, samples: 2 });
    expect(summary.problems.filter(({ item }) => item === 'empty.png' || item === 'city/wide.png').map(({ severity, message }) => [severity, message])).toEqual([
      ['warning', "the annotation says 1920×1080 but the image is 1280×720; the boxes were converted against the annotation's size"],
      ['error', `no image at ${join(coco, 'images/empty.png')} (give its folder with --images): no sample made`],
    ]);
    const samples = JSON.parse(readFileSync(out, 'utf8')) as Array<{ id: string; conversations: Array<{ value: string }> }>;
    expect(samples.map(({ id }) => id)).toEqual(['street', 'wide']);
    // [10.5, 20, 100, 50] → (16,42),(173,146); [0, 0, 64, 48] → (0,0),(100,100); [600, 400, 100, 100] clamped → (938,833),(999,999)
    expect(samples[0]?.conversations[1]?.value).toBe('<ref>person</ref><box>(16,42),(173,146)</box><box>(0,0),(100,100)</box><box>(938,833),(999,999)</box>');
    expect(samples[1]?.conversations.map(({ value }) => value)).toEqual([`Picture 1: <img>${join(coco, 'images/city/wide.png')}</img>\n框出图中的红色汽车`, '<ref>红色汽车</ref><box>(250,370),(520,851)</box>']);
  });

  it('converts a VOC folder, finding the images in ../JPEGImages', async () => {
    const voc = join(dir, 'VOC2007');
    place(voc, { 'Annotations/000001.xml': readFileSync(join(FIXTURES, 'voc/Annotations/000001.xml'), 'utf8').replace('000001.jpg', '000001.png') });
    writePng(join(voc, 'JPEGImages/000001.png'), 353, 500);
    const out = join(dir, 'voc.json');
    const result = await qvl(['--from', 'voc', join(voc, 'Annotations'), '-o', out, '--template', 'grounding-en']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${join(voc, 'Annotations')}: 1 image, 2 boxes in 1 sample (grounding-en), written to ${out} as Qwen-VL JSON\n`);
    expect(JSON.parse(readFileSync(out, 'utf8'))[0].conversations.map(({ value }: { value: string }) => value)).toEqual([
      `Picture 1: <img>${join(voc, 'JPEGImages/000001.png')}</img>\nBox the dog in the image`,
      // 48 240 195 371 → (47,239)-(195,371) on 353×500 → 133, 478, 552, 742
      '<ref>dog</ref><box>(133,478),(552,742)</box>',
      'Box the person in the image',
      // 8 12 352 498 → (7,11)-(352,498) → 20, 22, 997, 996
      '<ref>person</ref><box>(20,22),(997,996)</box>',
    ]);
  });

  it('converts a LabelMe folder, each imagePath relative to its JSON file', async () => {
    const labelme = join(dir, 'labelme');
    place(labelme, { 'json/dog.json': readFileSync(join(FIXTURES, 'labelme/dog.json'), 'utf8') });
    writePng(join(labelme, 'images/dog.png'), 640, 480);
    const out = join(dir, 'labelme.json');
    const result = await qvl(['--from', 'labelme', join(labelme, 'json'), '-o', out, '--prompt', '{label}在哪里？', '--json']);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ template: 'custom', written: true, images: 1, boxes: 2, samples: 1 });
    expect(summary.problems.map(({ severity, item }) => `${severity} ${item}`)).toEqual(['note shape 3 (tail)', 'error shape 4 (ball)', 'error shape 5']);
    expect(JSON.parse(readFileSync(out, 'utf8'))[0].conversations[1].value).toBe('<ref>dog</ref><box>(157,105),(470,417)</box><box>(16,21),(31,63)</box>');
  });

  it('never overwrites an input and keeps an earlier output when nothing converts', async () => {
    const coco = join(dir, 'bad');
    place(coco, { 'instances.json': '{"images": [', 'out.json': '[{"kept": true}]\n' });
    const input = join(coco, 'instances.json');
    const onInput = await qvl(['--from', 'coco', input, '-o', input]);
    expect(onInput.code).toBe(2);
    expect(onInput.stderr).toBe(`qvl dataset convert: the output ${input} is one of the input files: choose another name (an input is never overwritten)\n`);
    expect(readFileSync(input, 'utf8')).toBe('{"images": [');
    const malformed = await qvl(['--from', 'coco', input, '-o', join(coco, 'out.json'), '--json']);
    expect(malformed.code).toBe(1);
    const summary = JSON.parse(malformed.stdout) as Summary;
    expect(summary.written).toBe(false);
    expect(summary.problems[0]).toMatchObject({ severity: 'error', file: input, item: '' });
    expect(summary.problems[0]?.message).toMatch(/^not valid JSON \(/);
    expect(readFileSync(join(coco, 'out.json'), 'utf8')).toBe('[{"kept": true}]\n');
  });

  it('refuses bad usage and unreadable inputs with exit 2', async () => {
    const yoloNoClasses = join(dir, 'bare-yolo');
    place(yoloNoClasses, { 'a.txt': '0 0.5 0.5 0.1 0.1\n' });
    const cases: Array<[string[], RegExp]> = [
      [['x.json', '-o', 'y.json'], /say which format the input is in with --from/],
      [['--from', 'csv', 'x', '-o', 'y.json'], /--from csv: use one of coco, voc, yolo, labelme/],
      [['--from', 'coco', join(dir, 'missing.json'), '-o', join(dir, 'y.json')], /cannot read .*missing\.json \(no such file or folder\)/],
      [['--from', 'coco', 'x.json'], /name the file to write with -o/],
      [['--from', 'coco', 'x.json', '-o', 'y.json', '--template', 'nope'], /unknown template "nope" \(known: grounding-zh, grounding-en, describe-zh, describe-en\)/],
      [['--from', 'coco', 'x.json', '-o', 'y.json', '--to', 'csv'], /--to csv: use one of qwen, sharegpt, swift/],
      [['--from', 'yolo', yoloNoClasses, '-o', join(dir, 'y.json')], /no class names for .*bare-yolo: put classes\.txt/],
      [['--from', 'voc', yoloNoClasses, '-o', join(dir, 'y.json')], /bare-yolo holds no Pascal VOC \.xml files/],
      [['--from', 'coco', join(FIXTURES, 'coco/instances.json'), '-o', dir], /the output .* is a folder: name the file to write/],
      [['--from', 'coco', join(FIXTURES, 'coco/instances.json'), '--images', join(dir, 'nowhere'), '-o', join(dir, 'y.json')], /the images folder .*nowhere does not exist/],
      [['--from', 'coco', join(FIXTURES, 'coco/instances.json'), '--classes', 'c.txt', '-o', join(dir, 'y.json')], /--classes is for --from yolo/],
      [['--from', 'coco', join(FIXTURES, 'coco/instances.json'), '--template', 'grounding-en', '--prompt', 'x', '-o', join(dir, 'y.json')], /choose --template or --prompt, not both/],
    ];
    for (const [args, message] of cases) {
      const result = await qvl(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});
