import { describe, expect, it } from 'vitest';
import { boxToQwen } from '../../../shared/dataset/coordinates';
import { importCoco } from '../../../shared/dataset/import/coco';
import { importFixture, problemRows } from './datasetImportFixtures';

describe('COCO import', () => {
  const result = importCoco(importFixture('coco/instances.json'), 'instances.json');
  const street = result.images[0];

  it('keeps the images in file order, each with its size', () => {
    expect(result.images.map(({ image, size }) => [image, size.width, size.height])).toEqual([
      ['street.png', 640, 480],
      ['city/wide.png', 1920, 1080],
      ['empty.png', 320, 240],
    ]);
    expect(result.images[2]?.boxes).toEqual([]);
  });

  it('turns bbox [x, y, w, h] into corners (x, y)-(x + w, y + h), in annotation order', () => {
    expect(street?.boxes).toEqual([
      // [10.5, 20, 100, 50]: 10.5 + 100 = 110.5, 20 + 50 = 70
      { label: 'person', box: { x1: 10.5, y1: 20, x2: 110.5, y2: 70 } },
      // [300, 200, 340, 280]: ends exactly on the 640×480 edge
      { label: 'car', box: { x1: 300, y1: 200, x2: 640, y2: 480 } },
      { label: 'person', box: { x1: 0, y1: 0, x2: 64, y2: 48 } },
      // [600, 400, 100, 100] reaches (700, 500): clamped to the image
      { label: 'person', box: { x1: 600, y1: 400, x2: 640, y2: 480 } },
    ]);
    expect(result.images[1]?.boxes).toEqual([{ label: '红色汽车', box: { x1: 480, y1: 400, x2: 999, y2: 919 } }]);
  });

  it('gives the Qwen-VL integers worked out by hand', () => {
    const qwen = street?.boxes.map(({ box }) => boxToQwen(box, street.size));
    expect(qwen).toEqual([
      // 10.5/640·1000 = 16.4 → 16; 20/480·1000 = 41.7 → 42; 110.5/640·1000 = 172.7 → 173; 70/480·1000 = 145.8 → 146
      { x1: 16, y1: 42, x2: 173, y2: 146 },
      // 300/640·1000 = 468.75 → 469; 200/480·1000 = 416.7 → 417; 640/640 and 480/480 → 1000, clamped to 999
      { x1: 469, y1: 417, x2: 999, y2: 999 },
      // 64/640·1000 = 100; 48/480·1000 = 100
      { x1: 0, y1: 0, x2: 100, y2: 100 },
      // 600/640·1000 = 937.5 → 938; 400/480·1000 = 833.3 → 833
      { x1: 938, y1: 833, x2: 999, y2: 999 },
    ]);
    // The reference's test case: (480,400,999,919) on 1920×1080 → 250, 370.4 → 370, 520.3 → 520, 850.9 → 851
    const wide = result.images[1];
    expect(wide && boxToQwen(wide.boxes[0]!.box, wide.size)).toEqual({ x1: 250, y1: 370, x2: 520, y2: 851 });
  });

  it('reports every bad entry once, with where it is, and keeps the rest', () => {
    expect(result.problems.every((problem) => problem.file === 'instances.json')).toBe(true);
    expect(problemRows(result.problems)).toEqual([
      ['error', 'image 3', 'width and height must be positive numbers (found 0×480): image and its annotations skipped'],
      ['note', 'annotation 105', 'a crowd region (iscrowd 1) is a group, not one object: left out'],
      ['note', 'annotation 106', 'segmentation only, no bbox: left out'],
      ['error', 'annotation 107', 'category_id 9 is not among the categories: skipped'],
      ['warning', 'annotation 108', 'bbox [600, 400, 100, 100] reaches outside the 640×480 image: clamped to (600,400)-(640,480)'],
      ['error', 'annotation 109', 'bbox [10, 10, 0, 5] has zero area: box skipped'],
      ['error', 'annotation 110', 'bbox [10, 10, -5, 5] is inverted (right edge left of the left edge): box skipped'],
      ['error', 'annotation 112', 'image_id 42 is not among the images: skipped'],
      ['error', 'annotation 113', 'bbox must be [x, y, width, height] in pixels, found "10,10,5,5": skipped'],
    ]);
  });

  it('says what is wrong with a file that is not COCO, without throwing', () => {
    expect(problemRows(importCoco('{"images": [', 'a.json').problems)[0]?.[2]).toMatch(/^not valid JSON \(/);
    expect(problemRows(importCoco('[]', 'a.json').problems)).toEqual([['error', '', 'a COCO file is an object with images, annotations and categories, not a list']]);
    expect(problemRows(importCoco('{"images": [], "annotations": {}}', 'a.json').problems)).toEqual([
      ['error', '', 'not a COCO detection file: "annotations", "categories" are missing or not a list'],
    ]);
    const odd = importCoco(
      JSON.stringify({
        images: [{ id: 'a', file_name: 'C:\\data\\a.jpg', width: 10, height: 10 }, { id: 'a', file_name: 'b.jpg', width: 10, height: 10 }, 'nope'],
        categories: [{ id: 1, name: 'x' }, { id: 1, name: 'y' }, { id: 2, name: '</ref>' }, { name: 'no id' }],
        annotations: [7, { id: 1, image_id: 'a', category_id: 2, bbox: [0, 0, 1, 1] }, { id: 2, image_id: 'a', category_id: 1, bbox: [0, 0, Number.MAX_VALUE, 1] }, { id: 3, image_id: 'a', category_id: 1 }],
      }),
      'odd.json',
    );
    expect(odd.images).toEqual([{ image: 'C:/data/a.jpg', size: { width: 10, height: 10 }, boxes: [{ label: 'x', box: { x1: 0, y1: 0, x2: 10, y2: 1 } }] }]);
    expect(problemRows(odd.problems).map(([severity, item]) => `${severity} ${item}`)).toEqual([
      'error category 1',
      'error category #4',
      'error image a',
      'error image #3',
      'error annotation #1',
      'error annotation 1',
      'warning annotation 2',
      'error annotation 3',
    ]);
    expect(odd.problems[5]?.message).toBe('the label "</ref>" contains </ref>, a Qwen-VL special token: box skipped');
  });

  it('reads a file that starts with a BOM', () => {
    expect(importCoco(`\uFEFF${importFixture('coco/instances.json')}`, 'bom.json').images).toHaveLength(3);
  });
});
