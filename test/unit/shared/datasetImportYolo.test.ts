import { describe, expect, it } from 'vitest';
import { boxToQwen } from '../../../shared/dataset/coordinates';
import { importYoloLabels } from '../../../shared/dataset/import/yolo';
import { parseClassNames } from '../../../shared/dataset/import/yoloClasses';
import { importFixture, problemRows } from './datasetImportFixtures';

const CLASSES = ['person', 'car', 'traffic light'];
const STREET = { image: 'images/street.png', size: { width: 640, height: 480 } };

describe('YOLO import', () => {
  it('turns normalised centres into pixel corners ((cx − w/2)·W, (cy − h/2)·H)-((cx + w/2)·W, (cy + h/2)·H)', () => {
    const result = importYoloLabels(importFixture('yolo/labels/street.txt'), 'street.txt', CLASSES, STREET);
    expect(result.images).toHaveLength(1);
    const [image] = result.images;
    expect(image?.image).toBe('images/street.png');
    expect(image?.boxes.map(({ label }) => label)).toEqual(['person', 'traffic light', 'person']);
    const [person, light, edge] = image!.boxes.map(({ box }) => box);
    // 0 0.5 0.5 0.25 0.5: x (0.5 ∓ 0.125)·640 = 240, 400; y (0.5 ∓ 0.25)·480 = 120, 360
    expect(person).toEqual({ x1: 240, y1: 120, x2: 400, y2: 360 });
    // 2 0.1 0.2 0.05 0.1: x (0.1 ∓ 0.025)·640 = 48, 80; y (0.2 ∓ 0.05)·480 = 72, 120
    expect(light?.x1).toBeCloseTo(48, 9);
    expect(light?.y1).toBeCloseTo(72, 9);
    expect(light?.x2).toBeCloseTo(80, 9);
    expect(light?.y2).toBeCloseTo(120, 9);
    // 0 0.05 0.5 0.2 0.2: x (0.05 − 0.1)·640 = −32 → clamped to 0, (0.05 + 0.1)·640 = 96; y 192, 288
    expect(edge?.x1).toBe(0);
    expect(edge?.x2).toBeCloseTo(96, 9);
    expect(edge?.y1).toBeCloseTo(192, 9);
    expect(edge?.y2).toBeCloseTo(288, 9);
    expect(image!.boxes.map(({ box }) => boxToQwen(box, STREET.size))).toEqual([
      // 240/640 = 0.375 → 375; 120/480 = 0.25 → 250; 400/640 = 0.625 → 625; 360/480 = 0.75 → 750
      { x1: 375, y1: 250, x2: 625, y2: 750 },
      // 48/640 → 75; 72/480 → 150; 80/640 → 125; 120/480 → 250
      { x1: 75, y1: 150, x2: 125, y2: 250 },
      // 0; 192/480 → 400; 96/640 → 150; 288/480 → 600
      { x1: 0, y1: 400, x2: 150, y2: 600 },
    ]);
  });

  it('reports each bad line and keeps the good ones', () => {
    const { problems } = importYoloLabels(importFixture('yolo/labels/street.txt'), 'labels/street.txt', CLASSES, STREET);
    expect(problems.every((problem) => problem.file === 'labels/street.txt')).toBe(true);
    expect(problemRows(problems)).toEqual([
      ['warning', 'line 3 (person)', 'cx 0.05 cy 0.5 w 0.2 h 0.2 reaches outside the 640×480 image: clamped to (0,192)-(96,288)'],
      ['error', 'line 4', 'expected 5 fields (class cx cy w h), found 3: skipped'],
      ['error', 'line 5', 'class 3 is not in the class list (3 names, 0–2): skipped'],
      ['error', 'line 6', 'cx 1.2 is not a number in [0, 1] (YOLO coordinates are normalised to the image): skipped'],
      ['error', 'line 7', 'expected 5 fields (class cx cy w h), found 6 (a detection with a confidence score?): skipped'],
    ]);
  });

  it('reads CRLF files and 6-decimal values without calling rounding noise a problem', () => {
    const result = importYoloLabels(importFixture('yolo/labels/lot.txt'), 'lot.txt', CLASSES, { image: 'lot.png', size: { width: 640, height: 480 } });
    expect(result.problems).toEqual([]);
    // 1 0.25 0.75 0.5 0.5: x (0.25 ∓ 0.25)·640 = 0, 320; y (0.75 ∓ 0.25)·480 = 240, 480
    expect(result.images[0]?.boxes).toEqual([{ label: 'car', box: { x1: 0, y1: 240, x2: 320, y2: 480 } }]);
    // 0 → 0; 240/480 → 500; 320/640 → 500; 480/480 → 1000, clamped to 999
    expect(boxToQwen(result.images[0]!.boxes[0]!.box, { width: 640, height: 480 })).toEqual({ x1: 0, y1: 500, x2: 500, y2: 999 });
  });

  it('rejects zero-size boxes, non-index classes, polygons, and classes without a usable name', () => {
    const text = '0 0.5 0.5 0 0.1\nperson 0.5 0.5 0.1 0.1\n0 0.1 0.1 0.2 0.1 0.2 0.2\n1 0.5 0.5 0.1 0.1\n0 -0.1 0.5 0.1 0.1\n0 0x1 0.5 0.1 0.1\n';
    const { images, problems } = importYoloLabels(text, 'a.txt', ['person', ''], STREET);
    expect(images[0]?.boxes).toEqual([]);
    expect(problemRows(problems)).toEqual([
      ['error', 'line 1 (person)', 'cx 0.5 cy 0.5 w 0 h 0.1 has zero area: box skipped'],
      ['error', 'line 2', 'the class "person" is not a class index (0, 1, 2…): skipped'],
      ['error', 'line 3', 'expected 5 fields (class cx cy w h), found 7 (a segmentation polygon?): skipped'],
      ['error', 'line 4 (class 1)', 'the label is empty: box skipped'],
      ['error', 'line 5', 'cx -0.1 is not a number in [0, 1] (YOLO coordinates are normalised to the image): skipped'],
      ['error', 'line 6', 'cx 0x1 is not a number in [0, 1] (YOLO coordinates are normalised to the image): skipped'],
    ]);
  });

  it('keeps an image whose label file is empty (a negative sample) with no boxes', () => {
    expect(importYoloLabels('\n', 'empty.txt', CLASSES, STREET)).toEqual({ images: [{ ...STREET, boxes: [] }], problems: [] });
  });
});

describe('YOLO class names', () => {
  it('reads classes.txt one name a line, keeping inner spaces and dropping trailing blank lines', () => {
    expect(parseClassNames(importFixture('yolo/labels/classes.txt'), 'classes.txt')).toEqual({ names: ['person', 'car', 'traffic light'] });
    expect(parseClassNames('\uFEFFa\r\n\r\nb\r\n', 'obj.names')).toEqual({ names: ['a', '', 'b'] });
  });

  it.each([
    ['names: [person, "car", \'traffic light\']  # three', ['person', 'car', 'traffic light']],
    ['path: ../data\ntrain: images/train\nnc: 2\nnames:\n  - person\n  - "car"   # quoted\n\nval: images/val\n', ['person', 'car']],
    ['names:\n  0: person\n  2: traffic light\n  1: car\n', ['person', 'car', 'traffic light']],
    ['names: {0: person, 1: "a, b"}', ['person', 'a, b']],
    ['names: [person,\n  car]\n', ['person', 'car']],
  ])('reads data.yaml names from %j', (yaml, names) => {
    expect(parseClassNames(yaml, 'data.yaml')).toEqual({ names });
  });

  it.each([
    ['nc: 2\n', 'no top-level "names:" in the YAML file'],
    ['names: person\n', 'names: must be a list or a map of class names'],
    ['names: [a, b\n', 'names: opens with [ but never closes it'],
    ['names:\n  a: person\n', 'names: has the key "a"; class ids must be 0, 1, 2…'],
    ['names:\nnc: 1\n', 'names: must be followed by "- name" lines or "0: name" lines'],
  ])('explains a data.yaml it cannot read: %j', (yaml, error) => {
    expect(parseClassNames(yaml, 'data.yml')).toEqual({ error });
  });
});
