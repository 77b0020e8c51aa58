import { describe, expect, it } from 'vitest';
import { boxToQwen } from '../../../shared/dataset/coordinates';
import { importLabelme } from '../../../shared/dataset/import/labelme';
import { importFixture, problemRows } from './datasetImportFixtures';

describe('LabelMe import', () => {
  const result = importLabelme(importFixture('labelme/dog.json'), 'labelme/dog.json');

  it('takes the min and max of a rectangle’s points, whatever order they were clicked in', () => {
    expect(result.images).toEqual([
      {
        // Windows separators become forward slashes
        image: '../images/dog.png',
        size: { width: 640, height: 480 },
        boxes: [
          // points (300.5, 200.25) then (100.5, 50.25): bottom-right first
          { label: 'dog', box: { x1: 100.5, y1: 50.25, x2: 300.5, y2: 200.25 } },
          // X-AnyLabeling's four corners, starting bottom-right
          { label: 'dog', box: { x1: 10, y1: 10, x2: 20, y2: 30 } },
        ],
      },
    ]);
    const [image] = result.images;
    expect(image?.boxes.map(({ box }) => boxToQwen(box, image.size))).toEqual([
      // 100.5/640·1000 = 157.03 → 157; 50.25/480·1000 = 104.69 → 105; 300.5/640·1000 = 469.53 → 470; 200.25/480·1000 = 417.19 → 417
      { x1: 157, y1: 105, x2: 470, y2: 417 },
      // 10/640·1000 = 15.625 → 16; 10/480·1000 = 20.8 → 21; 20/640·1000 = 31.25 → 31; 30/480·1000 = 62.5 → 63 (half rounds up)
      { x1: 16, y1: 21, x2: 31, y2: 63 },
    ]);
  });

  it('leaves out non-rectangles with a note and reports boxes it cannot keep', () => {
    expect(problemRows(result.problems)).toEqual([
      ['note', 'shape 3 (tail)', 'a polygon is not a box: left out'],
      ['error', 'shape 4 (ball)', 'points (700,500) (650,450) lies outside the 640×480 image: box skipped'],
      ['error', 'shape 5', 'the label is empty: box skipped'],
    ]);
  });

  it('reads shapes without a shape_type (labelme before 3.0) as polygons, and needs the image size', () => {
    const legacy = importLabelme(importFixture('labelme/legacy.json'), 'legacy.json');
    expect(legacy.images).toEqual([]);
    expect(problemRows(legacy.problems)).toEqual([['error', '', 'imageWidth and imageHeight must be positive numbers (found undefined×undefined): file skipped']]);
    const sized = importLabelme(JSON.stringify({ ...JSON.parse(importFixture('labelme/legacy.json')), imageWidth: 100, imageHeight: 100 }), 'legacy.json');
    expect(sized.images[0]?.boxes).toEqual([]);
    expect(problemRows(sized.problems)).toEqual([['note', 'shape 1 (tree)', 'a polygon is not a box: left out']]);
  });

  it.each([
    ['{', /^not valid JSON \(/],
    ['[1]', /^not a LabelMe file: expected an object with a "shapes" list, found a list$/],
    ['{"imagePath": "a.jpg"}', /^not a LabelMe file: expected an object with a "shapes" list, found no "shapes" list$/],
    ['{"shapes": [], "imageWidth": 1, "imageHeight": 1}', /^imagePath is missing/],
  ])('reports a file it cannot read: %j', (text, message) => {
    const bad = importLabelme(text, 'bad.json');
    expect(bad.images).toEqual([]);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]?.message).toMatch(message);
  });

  it('reports rectangles with the wrong points', () => {
    const shapes = [{ label: 'a', shape_type: 'rectangle', points: [[1, 1]] }, { label: 'b', shape_type: 'rectangle', points: [[1, 1], [1, 'x']] }, 'shape', { label: 'c', shape_type: 'rectangle', points: [[5, 5], [5, 9]] }];
    const { problems } = importLabelme(JSON.stringify({ shapes, imagePath: 'a.jpg', imageWidth: 10, imageHeight: 10 }), 'a.json');
    expect(problemRows(problems)).toEqual([
      ['error', 'shape 1 (a)', 'a rectangle needs 2 (or 4) [x, y] points, found [[1,1]]: skipped'],
      ['error', 'shape 2 (b)', 'a rectangle needs 2 (or 4) [x, y] points, found [[1,1],[1,"x"]]: skipped'],
      ['error', 'shape 3', 'a shape is an object, not a string: skipped'],
      ['error', 'shape 4 (c)', 'points (5,5) (5,9) has zero area: box skipped'],
    ]);
  });
});
