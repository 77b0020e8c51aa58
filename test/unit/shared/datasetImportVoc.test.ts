import { describe, expect, it } from 'vitest';
import { boxToQwen } from '../../../shared/dataset/coordinates';
import { importVocAnnotation, readVocAnnotation } from '../../../shared/dataset/import/voc';
import type { VocAnnotation } from '../../../shared/dataset/import/voc';
import { XmlSyntaxError, parseXml } from '../../../shared/dataset/import/xmlReader';
import { importFixture, problemRows } from './datasetImportFixtures';

function read(name: string): VocAnnotation {
  const annotation = readVocAnnotation(importFixture(`voc/Annotations/${name}`));
  if ('error' in annotation) throw new Error(annotation.error);
  return annotation;
}

describe('the XML reader', () => {
  it('reads elements, attributes, text, CDATA, entities, comments and a BOM', () => {
    const root = parseXml('\uFEFF<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<!-- c --><a k="1 &amp; 2" j=\'&#x4E2D;\'>x &lt; y<!-- no --><![CDATA[<b>&amp;</b>]]><b/><c>&#20013;</c></a>\n<!-- after -->\n');
    expect(root.name).toBe('a');
    expect({ ...root.attributes }).toEqual({ k: '1 & 2', j: '中' });
    expect(root.text).toBe('x < y<b>&amp;</b>');
    expect(root.children.map((child) => [child.name, child.text, child.line])).toEqual([
      ['b', '', 3],
      ['c', '中', 3],
    ]);
  });

  it.each([
    ['', 'line 1, column 1: the document has no root element'],
    ['<a><b></a>', 'line 1, column 7: </a> does not close <b> (line 1)'],
    ['<a>\n  <b>\n', 'line 3, column 1: <b> (line 2) is never closed'],
    ['<a>&nbsp;</a>', 'line 1, column 4: unknown entity &nbsp; (XML defines only &lt; &gt; &amp; &quot; &apos; and numeric references)'],
    ['<a>fish & chips</a>', 'line 1, column 9: a bare & must be written &amp;'],
    ['<a>&#0;</a>', 'line 1, column 4: &#0; is not a valid character reference'],
    ['<a></a><b></b>', 'line 1, column 8: content after the root element'],
    ['<a k=1></a>', 'line 1, column 6: the value of k must be quoted'],
    ['<a k="1" k="2"></a>', 'line 1, column 15: the attribute k appears twice in <a>'],
    ['<a k="1"j="2"></a>', 'line 1, column 9: expected whitespace, > or /> in the start tag <a'],
    ['<a><![CDATA[x</a>', 'line 1, column 13: a CDATA section is never closed (no ]]>)'],
    ['text', 'line 1, column 1: expected the root element'],
    ['<a>< b</a>', 'line 1, column 5: expected an element name after <'],
  ])('rejects %j with its line and column', (source, message) => {
    expect(() => parseXml(source)).toThrow(XmlSyntaxError);
    expect(() => parseXml(source)).toThrow(message);
  });

  it('survives nesting far deeper than any call stack', () => {
    const depth = 100_000;
    const root = parseXml(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
    expect(root.children).toHaveLength(1);
    expect(() => parseXml('<a>'.repeat(depth))).toThrow('is never closed');
  });
});

describe('Pascal VOC import', () => {
  it('reads the devkit’s 1-based inclusive corners as 0-based edges (xmin − 1, ymin − 1)-(xmax, ymax)', () => {
    const result = importVocAnnotation(read('000001.xml'), '000001.xml');
    expect(result.problems).toEqual([]);
    expect(result.images).toEqual([
      {
        image: '000001.jpg',
        size: { width: 353, height: 500 },
        boxes: [
          // dog: xmin 48 ymin 240 xmax 195 ymax 371 → 47, 239, 195, 371
          { label: 'dog', box: { x1: 47, y1: 239, x2: 195, y2: 371 } },
          // person: 8 12 352 498 → 7, 11, 352, 498 (the <owner><name> is not an object)
          { label: 'person', box: { x1: 7, y1: 11, x2: 352, y2: 498 } },
        ],
      },
    ]);
    const [image] = result.images;
    expect(image?.boxes.map(({ box }) => boxToQwen(box, image.size))).toEqual([
      // 47/353·1000 = 133.1 → 133; 239/500·1000 = 478; 195/353·1000 = 552.4 → 552; 371/500·1000 = 742
      { x1: 133, y1: 478, x2: 552, y2: 742 },
      // 7/353·1000 = 19.8 → 20; 11/500·1000 = 22; 352/353·1000 = 997.2 → 997; 498/500·1000 = 996
      { x1: 20, y1: 22, x2: 997, y2: 996 },
    ]);
  });

  it('reads a labelImg file from Windows (BOM, CRLF, comment, CDATA, entities) and reports each bad object', () => {
    const annotation = read('cat_mouse.xml');
    expect(annotation.image).toBe('cat & mouse.jpg');
    const result = importVocAnnotation(annotation, 'cat_mouse.xml');
    expect(result.images[0]?.boxes).toEqual([
      // difficult="1" is kept: 101 51 300 250 → 100, 50, 300, 250
      { label: 'cat', box: { x1: 100, y1: 50, x2: 300, y2: 250 } },
      // xmin 0 is a 0-based writer's edge: 0 − 1 = −1 is clamped to 0
      { label: 'mouse', box: { x1: 0, y1: 0, x2: 40, y2: 30 } },
    ]);
    // 100/800·1000 = 125; 50/600·1000 = 83.3 → 83; 300/800·1000 = 375; 250/600·1000 = 416.7 → 417
    expect(boxToQwen(result.images[0]!.boxes[0]!.box, { width: 800, height: 600 })).toEqual({ x1: 125, y1: 83, x2: 375, y2: 417 });
    expect(problemRows(result.problems)).toEqual([
      ['warning', 'object 2 (mouse)', 'bndbox xmin 0 ymin 1 xmax 40 ymax 30 reaches outside the 800×600 image: clamped to (0,0)-(40,30)'],
      ['error', 'object 3 (mouse)', 'bndbox xmin 500 ymin 10 xmax 400 ymax 20 is inverted (right edge left of the left edge): box skipped'],
      ['error', 'object 4 (cheese)', '<bndbox> needs numbers in <xmax> (found "abc"): skipped'],
    ]);
  });

  it('takes the size from the image when <size> is zero, and skips the file when nothing gives one', () => {
    const annotation = read('nosize.xml');
    expect(annotation.size).toBeUndefined();
    const measured = importVocAnnotation(annotation, 'nosize.xml', { width: 100, height: 50 });
    expect(measured.images[0]?.boxes).toEqual([{ label: 'bird', box: { x1: 0, y1: 0, x2: 10, y2: 10 } }]);
    expect(problemRows(measured.problems)).toEqual([['note', '', "<size> has no usable <width> and <height>: used the image's own 100×50"]]);
    const unmeasured = importVocAnnotation(annotation, 'nosize.xml');
    expect(unmeasured.images).toEqual([]);
    expect(problemRows(unmeasured.problems)).toEqual([['error', '', '<size> has no usable <width> and <height>, and the image could not be measured: file skipped']]);
  });

  it('says why a file is not a VOC annotation', () => {
    expect(readVocAnnotation(importFixture('voc/Annotations/broken.xml'))).toEqual({ error: 'not well-formed XML: line 3, column 21: </bndbox> does not close <name> (line 3)' });
    expect(readVocAnnotation('<svg></svg>')).toEqual({ error: 'not a Pascal VOC annotation: the root element is <svg>, not <annotation>' });
    expect(readVocAnnotation('<annotation><size/></annotation>')).toEqual({ error: 'neither <filename> nor <path> names the image' });
    expect(readVocAnnotation('<annotation><path>D:\\set\\a.jpg</path></annotation>')).toMatchObject({ image: 'a.jpg', objects: [] });
  });

  it('reports objects without a box or a name', () => {
    const annotation = readVocAnnotation('<annotation><filename>a.jpg</filename><size><width>10</width><height>10</height></size><object><name>x</name></object><object><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object><object><name>y</name><bndbox><xmin>1</xmin></bndbox></object></annotation>');
    if ('error' in annotation) throw new Error(annotation.error);
    expect(problemRows(importVocAnnotation(annotation, 'a.xml').problems)).toEqual([
      ['error', 'object 1 (x)', 'no <bndbox>: skipped'],
      ['error', 'object 2', 'the label is missing or not text: box skipped'],
      ['error', 'object 3 (y)', '<bndbox> needs numbers in <ymin> (missing), <xmax> (missing), <ymax> (missing): skipped'],
    ]);
  });
});
