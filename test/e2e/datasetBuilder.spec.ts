// The dataset builder in browser mode, as an annotator uses it: open a folder of images, draw,
// move, resize, undo and label boxes with the mouse and keys, let autosave write the file,
// reload, reopen and compare the file on disk with the integers the boxes must export to. Then a
// fixture dataset's boxes drawn back on its images, a problem jump, import and export through
// the dialogs, and screenshots in both languages and themes.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSize, PixelBox } from '../../shared/dataset/coordinates';
import { boxFromQwen, boxToQwen, formatBox } from '../../shared/dataset/coordinates';
import { fitView } from '../../renderer/src/features/dataset/editing/viewTransform';
import type { ViewTransform } from '../../renderer/src/features/dataset/editing/viewTransform';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';
import { startWebApp } from '../support/webApp';
import type { WebApp } from '../support/webApp';
import { rgbPng } from '../support/pngImages';

let app: WebApp;
let browser: Browser;
let work: string;

/** An RGB PNG with a gradient and a few blocks, so boxes over it are visible in screenshots. */
function writePng(path: string, width: number, height: number, tint: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const image = rgbPng(width, height, (x, y) => {
    const block = (Math.floor((x * 6) / width) + Math.floor((y * 4) / height)) % 2 === 0;
    return [tint + (x * 180) / width, block ? 90 + (y * 120) / height : 60, block ? 200 - (x * 100) / width : 120];
  });
  writeFileSync(path, image);
}

const IMAGES: Record<string, ImageSize> = { 'street-1.png': { width: 400, height: 300 }, 'street-2.png': { width: 320, height: 200 }, 'street-3.png': { width: 500, height: 250 } };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'qvl-dataset-e2e-'));
  for (const [name, size] of Object.entries(IMAGES)) writePng(join(work, 'images', name), size.width, size.height, name.charCodeAt(7) * 40);
  [app, browser] = await Promise.all([startWebApp(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Point {
  x: number;
  y: number;
}

async function openBuilder(lang: 'en' | 'zh', colorScheme: 'light' | 'dark'): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${app.url}&lang=${lang}`);
  await page.getByRole('tab', { name: lang === 'zh' ? '数据集' : 'Dataset' }).click();
  // The builder wants the width: hide the host sidebar and the loss panel (closed stays closed: it is a setting).
  await page.keyboard.press('Control+Shift+H');
  const closeLoss = page.getByRole('button', { name: lang === 'zh' ? '关闭 Loss 面板' : 'Close the loss panel' });
  if (await closeLoss.isVisible()) await closeLoss.click();
  return { page, errors };
}

/** The canvas's view of an image of `size` as fitted, and where the canvas is on the page. */
async function fittedView(page: Page, size: ImageSize): Promise<{ view: ViewTransform; left: number; top: number }> {
  const measured = await page.evaluate(() => {
    const stage = document.querySelector('.box-stage');
    const rect = document.querySelector('.box-stage__canvas')?.getBoundingClientRect();
    return { width: stage?.clientWidth ?? 0, height: stage?.clientHeight ?? 0, left: rect?.left ?? 0, top: rect?.top ?? 0 };
  });
  return { view: fitView(size, measured), left: measured.left, top: measured.top };
}

/** A whole page pixel near image point (x, y), and the image point that page pixel really is. */
function pagePoint(fitted: { view: ViewTransform; left: number; top: number }, x: number, y: number): { page: Point; image: Point } {
  const { view, left, top } = fitted;
  const page = { x: Math.round(left + view.x + x * view.scale), y: Math.round(top + view.y + y * view.scale) };
  return { page, image: { x: (page.x - left - view.x) / view.scale, y: (page.y - top - view.y) / view.scale } };
}

async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

const LISTED = /^(.+): \((\d+), (\d+)\) to \((\d+), (\d+)\) px, Qwen-VL \((\d+),(\d+)\),\((\d+),(\d+)\)/;

/** The boxes on the canvas, as its screen-reader list reads them. */
async function listedBoxes(page: Page): Promise<Array<{ label: string; qwen: number[] }>> {
  const items = await page.getByRole('list', { name: 'Boxes on this image' }).getByRole('listitem').allTextContents();
  return items.map((text) => {
    const match = LISTED.exec(text);
    if (!match) throw new Error(`unexpected box description: ${text}`);
    return { label: match[1] ?? '', qwen: match.slice(6, 10).map(Number) };
  });
}

const qwenList = (box: PixelBox) => [box.x1, box.y1, box.x2, box.y2];

const turnText = (page: Page, turn: number, role: string) => page.getByRole('textbox', { name: `Text of turn ${turn} (${role})` });

interface DatasetRecord {
  id: string;
  conversations: Array<{ from: string; value: string }>;
  reviewed?: boolean;
}

const readDataset = (path: string): DatasetRecord[] | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DatasetRecord[];
  } catch {
    return null;
  }
};

describe('the dataset builder', () => {
  it('draws, moves, resizes, undoes and labels boxes; autosave writes them; a reload and a reopen show them again', async () => {
    const { page, errors } = await openBuilder('en', 'light');
    await page.getByRole('heading', { name: 'No dataset open' }).waitFor();
    await page.getByRole('button', { name: 'Open…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open a dataset' });
    await dialog.getByRole('textbox', { name: 'Images folder' }).fill(join(work, 'images'));
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    const list = page.getByRole('listbox', { name: 'Samples of the dataset' });
    await list.getByRole('option', { name: /street-3/ }).waitFor();
    expect(await list.getByRole('option').count()).toBe(3);
    await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^street-1/);

    // Two labels: 1 is car, 2 is person.
    for (const label of ['car', 'person']) {
      await page.getByRole('textbox', { name: 'New label' }).fill(label);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    }
    await page.getByRole('button', { name: 'Use car for new boxes' }).click();

    // Measure how fast the preview follows a drag: from each pointermove's dispatch to the preview's change.
    await page.evaluate(() => {
      const probe = { moveAt: 0, delays: [] as number[] };
      (window as unknown as { previewProbe: typeof probe }).previewProbe = probe;
      window.addEventListener('pointermove', () => (probe.moveAt = performance.now()), { capture: true });
      const preview = document.querySelector('.json-preview__text');
      if (preview) new MutationObserver(() => probe.moveAt > 0 && probe.delays.push(performance.now() - probe.moveAt)).observe(preview, { childList: true, characterData: true, subtree: true });
    });

    const size = IMAGES['street-1.png'] as ImageSize;
    const canvas = page.locator('.box-stage__canvas');
    await canvas.focus();
    await page.keyboard.press('KeyW');
    const fitted = await fittedView(page, size);
    const from = pagePoint(fitted, 80, 60);
    const to = pagePoint(fitted, 240, 180);
    await drag(page, from.page, to.page);
    const drawn = { x1: from.image.x, y1: from.image.y, x2: to.image.x, y2: to.image.y };
    await page.keyboard.press('KeyW');
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(`<ref>car</ref>${formatBox(boxToQwen(drawn, size))}`);
    const delays = await page.evaluate(() => (window as unknown as { previewProbe: { delays: number[] } }).previewProbe.delays);
    expect(delays.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...delays)).toBeLessThan(16.7);
    console.log(`JSON preview written ${delays.length} times during the drag, at most ${Math.max(...delays).toFixed(2)} ms after the pointer event`);

    // Move: drag from inside the box by (40, 20) image pixels.
    const grab = pagePoint(fitted, 160, 100);
    const release = pagePoint(fitted, 200, 120);
    await drag(page, grab.page, release.page);
    const dx = release.image.x - grab.image.x;
    const dy = release.image.y - grab.image.y;
    const moved = { x1: drawn.x1 + dx, y1: drawn.y1 + dy, x2: drawn.x2 + dx, y2: drawn.y2 + dy };
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(`<ref>car</ref>${formatBox(boxToQwen(moved, size))}`);

    // Resize by the bottom-right handle, then undo the resize only.
    const corner = pagePoint(fitted, moved.x2, moved.y2);
    const stretched = pagePoint(fitted, 360, 270);
    await drag(page, corner.page, stretched.page);
    const resized = { ...moved, x2: stretched.image.x, y2: stretched.image.y };
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(`<ref>car</ref>${formatBox(boxToQwen(resized, size))}`);
    await page.keyboard.press('Control+KeyZ');
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(`<ref>car</ref>${formatBox(boxToQwen(moved, size))}`);

    // Label: 2 makes the selected box a person; its ref is renamed in place.
    await page.keyboard.press('Digit2');
    const street1 = `<ref>person</ref>${formatBox(boxToQwen(moved, size))}`;
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(street1);
    expect(await listedBoxes(page)).toEqual([{ label: 'person', qwen: qwenList(boxToQwen(moved, size)) }]);

    // D: the next image. A box there, V marks it reviewed.
    await page.keyboard.press('KeyD');
    await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^street-2/);
    // The sample on screen is the one the canvas sizes its picture by.
    await expect.poll(() => turnText(page, 1, 'user').inputValue()).toContain('street-2.png');
    const size2 = IMAGES['street-2.png'] as ImageSize;
    const fitted2 = await fittedView(page, size2);
    await canvas.focus();
    await page.keyboard.press('KeyW');
    const a = pagePoint(fitted2, 32, 20);
    const b = pagePoint(fitted2, 160, 150);
    await drag(page, a.page, b.page);
    await page.keyboard.press('KeyW');
    const box2 = boxToQwen({ x1: a.image.x, y1: a.image.y, x2: b.image.x, y2: b.image.y }, size2);
    const street2 = `<ref>person</ref>${formatBox(box2)}`;
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(street2);
    await page.keyboard.press('KeyV');
    await expect.poll(() => page.getByRole('checkbox', { name: /Reviewed/ }).isChecked()).toBe(true);

    // D again, and Ctrl+Shift+V pastes the previous image's boxes at the same place.
    await page.keyboard.press('KeyD');
    await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^street-3/);
    await expect.poll(() => turnText(page, 1, 'user').inputValue()).toContain('street-3.png');
    await canvas.focus();
    await page.keyboard.press('Control+Shift+KeyV');
    const street3 = `<ref>person</ref>${formatBox(box2)}`;
    await expect.poll(() => turnText(page, 2, 'assistant').inputValue()).toBe(street3);

    // N: the next sample not reviewed, after this one and round to the start: street-1.
    await page.keyboard.press('KeyN');
    await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^street-1/);

    // ? lists the canvas's keys and the screen's own.
    await canvas.focus();
    await page.keyboard.press('Shift+Slash');
    const keys = page.getByRole('dialog', { name: 'Canvas keys' });
    for (const cap of ['W', 'Ctrl+Shift+V', 'Ctrl+S', 'Alt+↓', 'N']) await keys.getByText(cap, { exact: true }).first().waitFor();
    expect(await keys.getByRole('heading', { name: 'Dataset builder' }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await keys.waitFor({ state: 'detached' });

    // Autosave: the file on disk gets exactly these integers, and the indicator says so.
    const file = join(work, 'images', 'dataset.json');
    const expected: DatasetRecord[] = [
      { id: 'street-1', conversations: [{ from: 'user', value: 'Picture 1: <img>street-1.png</img>\n' }, { from: 'assistant', value: street1 }] },
      { id: 'street-2', conversations: [{ from: 'user', value: 'Picture 1: <img>street-2.png</img>\n' }, { from: 'assistant', value: street2 }], reviewed: true },
      { id: 'street-3', conversations: [{ from: 'user', value: 'Picture 1: <img>street-3.png</img>\n' }, { from: 'assistant', value: street3 }] },
    ];
    await expect.poll(() => readDataset(file), { timeout: 15_000 }).toEqual(expected);
    await expect.poll(() => page.locator('.save-indicator').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
    expect(await page.locator('.save-indicator').textContent()).toMatch(/^Saved/);

    // Filters: not reviewed leaves street-1 and street-3; a label keeps the samples that use it.
    await page.getByRole('combobox', { name: 'Show' }).selectOption('unreviewed');
    // Rows are recycled, so their DOM order is not the list's: aria-posinset gives each its place.
    const shownRows = async () => (await list.getByRole('option').evaluateAll((options) => options.map((option) => [Number(option.getAttribute('aria-posinset')), option.textContent ?? '']))).sort((a, b) => Number(a[0]) - Number(b[0]));
    await expect.poll(shownRows).toEqual([
      [1, expect.stringMatching(/^street-1/)],
      [2, expect.stringMatching(/^street-3/)],
    ]);
    expect(await page.locator('.sample-filters__count').textContent()).toBe('2 of 3 samples');
    await page.getByRole('combobox', { name: 'Show' }).selectOption('all');
    await page.getByRole('combobox', { name: 'Label' }).selectOption('person');
    await expect.poll(() => page.locator('.sample-filters__count').textContent()).toBe('3 samples');
    await page.getByRole('combobox', { name: 'Label' }).selectOption('');
    // The list takes the keyboard: Down selects the next sample.
    await list.getByRole('option', { name: /street-1/ }).click();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^street-2/);

    // A reload finds the workspace still open in the main process, with the list order kept.
    await page.reload();
    await page.getByRole('tab', { name: 'Dataset' }).click();
    await list.getByRole('option', { name: /street-1/ }).waitFor();
    await list.getByRole('option', { name: /street-1/ }).click();
    await expect.poll(() => listedBoxes(page)).toEqual([{ label: 'person', qwen: qwenList(boxToQwen(moved, size)) }]);

    // Closing and reopening the file through the file browser draws the boxes from the file.
    await page.getByRole('button', { name: 'Close the dataset' }).click();
    await page.getByRole('heading', { name: 'No dataset open' }).waitFor();
    await page.getByRole('button', { name: 'Open…' }).click();
    await dialog.getByRole('button', { name: 'Browse for: Dataset file (JSON)' }).click();
    const browser = page.getByRole('dialog', { name: 'Choose the dataset file' });
    // As a user would: wait for the first listing (the home folder) before typing another folder.
    await expect.poll(() => browser.getByRole('textbox', { name: 'Folder' }).inputValue()).not.toBe('');
    await browser.getByRole('textbox', { name: 'Folder' }).fill(join(work, 'images'));
    await browser.getByRole('button', { name: 'Go', exact: true }).click();
    await browser.getByRole('button', { name: 'dataset.json' }).click();
    await browser.getByRole('button', { name: 'Choose' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Dataset file (JSON)' }).inputValue()).toBe(join(work, 'images', 'dataset.json'));
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await list.getByRole('option', { name: /street-1/ }).waitFor();
    await expect.poll(() => listedBoxes(page)).toEqual([{ label: 'person', qwen: qwenList(boxToQwen(moved, size)) }]);
    await list.getByRole('option', { name: /street-2/ }).click();
    await expect.poll(() => listedBoxes(page)).toEqual([{ label: 'person', qwen: qwenList(box2) }]);
    expect(await list.getByRole('option', { name: /street-2/ }).textContent()).toContain('reviewed');
    expect(readDataset(file)).toEqual(expected);
    await page.getByRole('button', { name: 'Close the dataset' }).click();
    await page.getByRole('heading', { name: 'No dataset open' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws a fixture dataset’s boxes back on its pictures, jumps to a problem, and screenshots the builder', async () => {
    // The README fixture's grounding samples, their image paths pointed at images made here.
    const folder = join(work, 'fixture');
    const text = readFileSync('test/fixtures/qwen-vl-data/synthetic_grounding_sample.json', 'utf8').replaceAll('/data/imgs/', 'imgs/').replaceAll('.jpg', '.png');
    mkdirSync(folder, { recursive: true });
    const records = JSON.parse(text) as DatasetRecord[];
    // One more sample with a coordinate out of range, for the problem jump.
    records.push({ id: 'broken_box', conversations: [{ from: 'user', value: 'Picture 1: <img>imgs/a.png</img>\n框出图中的狗' }, { from: 'assistant', value: '<ref>狗</ref><box>(100,200),(1200,400)</box>' }] });
    writeFileSync(join(folder, 'train.json'), JSON.stringify(records, null, 2));
    writePng(join(folder, 'imgs', 'street_1920x1080.png'), 1920, 1080, 30);
    writePng(join(folder, 'imgs', 'a.png'), 640, 480, 120);
    writePng(join(folder, 'imgs', 'b.png'), 800, 600, 200);

    for (const [lang, scheme] of [['en', 'light'], ['en', 'dark'], ['zh', 'light'], ['zh', 'dark']] as const) {
      const { page, errors } = await openBuilder(lang, scheme);
      const zh = lang === 'zh';
      if (lang === 'en' && scheme === 'light') {
        await page.getByRole('button', { name: 'Open…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Open a dataset' });
        await dialog.getByRole('textbox', { name: 'Dataset file (JSON)' }).fill(join(folder, 'train.json'));
        await dialog.getByRole('button', { name: 'Open', exact: true }).click();
      }
      // Later windows find the dataset open in the main process.
      await expect.poll(() => page.locator('.dataset-bar__name').textContent()).toBe('train.json');
      const list = page.getByRole('listbox', { name: zh ? '数据集中的样本' : 'Samples of the dataset' });
      await list.getByRole('option', { name: /synthetic_0/ }).click();
      const boxList = page.getByRole('list', { name: zh ? '本图中的框' : 'Boxes on this image' }).getByRole('listitem');
      await expect.poll(() => boxList.count()).toBe(1);
      if (lang === 'en') {
        // 红色汽车 at (250,370),(520,850) of 1920×1080: drawn at 480,399.6 to 998.4,918 px.
        const pixels = boxFromQwen({ x1: 250, y1: 370, x2: 520, y2: 850 }, { width: 1920, height: 1080 });
        expect(await boxList.first().textContent()).toBe(`红色汽车: (${Math.round(pixels.x1)}, ${Math.round(pixels.y1)}) to (${Math.round(pixels.x2)}, ${Math.round(pixels.y2)}) px, Qwen-VL (250,370),(520,850)`);
        expect(await page.locator('.json-preview__text').textContent()).toContain('"value": "<ref>红色汽车</ref><box>(250,370),(520,850)</box>"');
        // Exactly the lines train.json holds for the sample (indent=2, one level into the list).
        const shown = records.find((record) => record.id === 'synthetic_0');
        expect(await page.locator('.json-preview__text').textContent()).toBe(`  ${JSON.stringify(shown, null, 2).replaceAll('\n', '\n  ')}`);
      }
      await page.waitForFunction(() => document.querySelector('.box-canvas output')?.textContent?.includes('%'));
      await saveScreenshot(page, `dataset-builder-${lang}-${scheme}`);
      // Every control of the builder has an accessible name (an unnamed one appears bare in the snapshot).
      expect(await page.locator('body').ariaSnapshot()).not.toMatch(/- (button|combobox|checkbox|textbox|listbox|option|list|application|tab|link)\s*$/m);

      if (lang === 'en' && scheme === 'light') {
        // Two pictures: the apples and the bowl belong to picture 2, the latest before them.
        await list.getByRole('option', { name: /synthetic_1/ }).click();
        await page.getByRole('button', { name: 'Picture 2', exact: true }).click();
        await expect.poll(async () => (await listedBoxes(page)).map((box) => box.label)).toEqual([' Two apples', ' Two apples', ' a bowl']);
        await page.getByRole('button', { name: 'Picture 1', exact: true }).click();
        await expect.poll(() => boxList.count()).toBe(0);

        // The problem of another sample, from the whole-dataset check: a click selects that
        // sample, focuses its turn and selects the coordinate's box.
        await page.getByRole('button', { name: 'Check all' }).click();
        const jump = page.getByRole('button', { name: /Coordinate 1200 is outside 0–999.*sample broken_box · turn 2 · character 13/ });
        await jump.click();
        await expect.poll(() => list.getByRole('option', { selected: true }).textContent()).toMatch(/^broken_box/);
        const focused = () =>
          page.evaluate(() => {
            const area = document.activeElement as HTMLTextAreaElement | null;
            return { label: area?.getAttribute('aria-label'), selected: area?.value.slice(area.selectionStart, area.selectionEnd) };
          });
        await expect.poll(focused).toEqual({ label: 'Text of turn 2 (assistant)', selected: '<box>(100,200),(1200,400)</box>' });
        await saveScreenshot(page, 'dataset-builder-problem-jump');

        // Typing over the selection fixes the box, and the canvas follows the text.
        await page.keyboard.type('<box>(100,200),(900,400)</box>');
        await expect.poll(async () => (await listedBoxes(page)).map((box) => box.qwen)).toEqual([[100, 200, 900, 400]]);
        await expect.poll(() => page.getByRole('region', { name: 'This sample' }).textContent()).toContain('No problems in this sample.');
      }
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  it('renames a label in every sample (a merge) and undoes it; keeps one EXIF-rotated image as training sees it and writes another upright', async () => {
    const folder = join(work, 'labels');
    mkdirSync(folder, { recursive: true });
    writePng(join(folder, 'a.png'), 400, 300, 40);
    writePng(join(folder, 'b.png'), 320, 200, 160);
    cpSync('test/fixtures/images/exif-orientation-6-16x9.jpg', join(folder, 'rotated.jpg'));
    cpSync('test/fixtures/images/exif-orientation-6-16x9.jpg', join(folder, 'turned.jpg'));
    const answer = (...labels: string[]) => labels.map((label, k) => `<ref>${label}</ref><box>(${100 + k * 300},100),(${300 + k * 300},500)</box>`).join('');
    const records: DatasetRecord[] = [
      { id: 'two_labels', conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\n框出图中的动物' }, { from: 'assistant', value: answer('cat', 'dog') }] },
      { id: 'kitty_one', conversations: [{ from: 'user', value: 'Picture 1: <img>b.png</img>\n框出图中的kitty' }, { from: 'assistant', value: answer('kitty') }] },
      { id: 'kitty_turned', conversations: [{ from: 'user', value: 'Picture 1: <img>rotated.jpg</img>\n框出图中的kitty' }, { from: 'assistant', value: answer('kitty') }] },
      { id: 'bird_turned', conversations: [{ from: 'user', value: 'Picture 1: <img>turned.jpg</img>\n框出图中的bird' }, { from: 'assistant', value: answer('bird') }] },
    ];
    writeFileSync(join(folder, 'train.json'), JSON.stringify(records, null, 2));

    const { page, errors } = await openBuilder('en', 'light');
    await page.getByRole('button', { name: 'Open…' }).click();
    const open = page.getByRole('dialog', { name: 'Open a dataset' });
    await open.getByRole('textbox', { name: 'Dataset file (JSON)' }).fill(join(folder, 'train.json'));
    await open.getByRole('button', { name: 'Open', exact: true }).click();
    const list = page.getByRole('listbox', { name: 'Samples of the dataset' });
    await list.getByRole('option', { name: /^kitty_one/ }).click();
    await expect.poll(async () => (await listedBoxes(page)).map((box) => box.label)).toEqual(['kitty']);

    // Renaming "kitty" to the existing "cat" asks first, saying it is a merge.
    const labels = page.getByRole('region', { name: 'Labels' });
    await labels.getByRole('button', { name: 'Rename kitty' }).click();
    await labels.getByRole('textbox', { name: 'New name for kitty' }).fill('cat');
    await labels.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename a label in every sample' });
    await dialog.getByText('“cat” is already a label (1 in use): “kitty” is merged into it, so its 2 box labels join them.').waitFor();
    await saveScreenshot(page, 'dataset-rename-merge-en-light');
    await dialog.getByRole('button', { name: 'Merge into “cat”' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: '“kitty” is now “cat” in 2 samples.' }).waitFor();
    await expect.poll(async () => (await listedBoxes(page)).map((box) => box.label)).toEqual(['cat']);
    await expect.poll(() => page.locator('.json-preview__text').textContent()).toContain(answer('cat'));
    expect(await labels.getByRole('button', { name: 'Use kitty for new boxes' }).count()).toBe(0);
    await expect.poll(() => list.getByRole('option', { name: /^kitty_turned/ }).textContent()).toContain('cat');

    // One step back: both samples say "kitty" again.
    await page.getByRole('button', { name: 'Undo the rename' }).click();
    await page.getByRole('status').filter({ hasText: 'Rename undone in 2 samples.' }).waitFor();
    await expect.poll(async () => (await listedBoxes(page)).map((box) => box.label)).toEqual(['kitty']);
    await expect.poll(() => list.getByRole('option', { name: /^kitty_turned/ }).textContent()).toContain('kitty');

    // The turned photo: flagged, then kept as training sees it, and its warning is gone.
    await list.getByRole('option', { name: /^kitty_turned/ }).click();
    const sampleProblems = page.getByRole('region', { name: 'This sample' });
    await expect.poll(() => sampleProblems.textContent()).toContain('EXIF orientation 6');
    await page.getByRole('button', { name: 'Keep as training sees it' }).click();
    await page.getByRole('note').filter({ hasText: 'EXIF orientation 6 is ignored, as you chose' }).waitFor();
    await expect.poll(() => sampleProblems.textContent()).toContain('No problems in this sample.');
    await saveScreenshot(page, 'dataset-exif-kept-en-light');

    // The other turned photo is written upright beside it; the sample and its box follow the pixels:
    // (100,100),(300,500) of the stored 16×9 is (500,100),(900,300) of the upright 9×16.
    await list.getByRole('option', { name: /^bird_turned/ }).click();
    await page.getByRole('button', { name: 'Write an upright copy' }).click();
    await page.getByRole('status').filter({ hasText: 'The sample now uses turned.upright.jpg, upright; its boxes were turned with it.' }).waitFor();
    await expect.poll(async () => (await listedBoxes(page)).map((box) => box.qwen)).toEqual([[500, 100, 900, 300]]);
    await expect.poll(() => page.locator('.json-preview__text').textContent()).toContain('<img>turned.upright.jpg</img>');
    expect(readFileSync(join(folder, 'turned.upright.jpg')).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(existsSync(join(folder, 'turned.jpg'))).toBe(true);
    await expect.poll(() => page.getByRole('note').filter({ hasText: 'EXIF orientation' }).count()).toBe(0);
    await saveScreenshot(page, 'dataset-exif-upright-en-light');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows placeholder rows while the list is flung and the real rows where it stops', async () => {
    const folder = join(work, 'many');
    writePng(join(folder, 'a.png'), 64, 48, 90);
    const records: DatasetRecord[] = Array.from({ length: 3000 }, (_, k) => ({ id: `many_${k}`, conversations: [{ from: 'user', value: 'Picture 1: <img>a.png</img>\n框出图中的狗' }, { from: 'assistant', value: '<ref>狗</ref><box>(1,1),(500,500)</box>' }] }));
    writeFileSync(join(folder, 'train.json'), JSON.stringify(records));
    const { page, errors } = await openBuilder('en', 'dark');
    await page.getByRole('button', { name: 'Open…' }).click();
    const open = page.getByRole('dialog', { name: 'Open a dataset' });
    await open.getByRole('textbox', { name: 'Dataset file (JSON)' }).fill(join(folder, 'train.json'));
    await open.getByRole('button', { name: 'Open', exact: true }).click();
    const list = page.getByRole('listbox', { name: 'Samples of the dataset' });
    await list.getByRole('option', { name: /^many_0 / }).waitFor();

    // A fling: 3000 px a frame for 20 frames. From the second fast frame on, no row is built.
    const fling = await page.evaluate(
      () =>
        new Promise<{ skimmed: number; rowsWhileSkimming: number; busy: string | null }>((done) => {
          const scroller = document.querySelector<HTMLElement>('.sample-list') as HTMLElement;
          let frame = 0;
          let skimmed = 0;
          let rowsWhileSkimming = 0;
          let busy: string | null = null;
          const tick = () => {
            if (scroller.classList.contains('sample-list--skimming')) {
              skimmed++;
              rowsWhileSkimming = Math.max(rowsWhileSkimming, scroller.querySelectorAll('.sample-row:not([hidden])').length);
              busy = scroller.getAttribute('aria-busy');
            }
            if (frame++ === 20) return done({ skimmed, rowsWhileSkimming, busy });
            scroller.scrollTop += 3000;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }),
    );
    expect(fling.skimmed).toBeGreaterThan(10);
    expect(fling.rowsWhileSkimming).toBe(0);
    expect(fling.busy).toBe('true');
    // What a fling looks like: the list kept moving while the screenshot is taken.
    await page.evaluate(() => {
      const scroller = document.querySelector<HTMLElement>('.sample-list') as HTMLElement;
      const keepFlinging = () => {
        if (scroller.dataset.stopFling) return;
        scroller.scrollTop = (scroller.scrollTop + 3000) % 100_000;
        requestAnimationFrame(keepFlinging);
      };
      requestAnimationFrame(keepFlinging);
    });
    await page.locator('.sample-list--skimming').waitFor();
    await saveScreenshot(page, 'dataset-list-skimming-en-dark');
    await page.evaluate(() => {
      (document.querySelector('.sample-list') as HTMLElement).dataset.stopFling = 'yes';
    });
    // Stopped: the rows where the list stands are built again, with their own samples.
    const top = await page.evaluate(() => document.querySelector('.sample-list')?.scrollTop ?? 0);
    await list.getByRole('option', { name: new RegExp(`^many_${Math.ceil(top / 56)} `) }).waitFor();
    expect(await list.getAttribute('aria-busy')).toBe('false');
    expect(await page.locator('.sample-list--skimming').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('imports COCO annotations through a template and exports LLaMA-Factory ShareGPT from the dialogs', async () => {
    const { page, errors } = await openBuilder('en', 'light');
    await expect.poll(() => page.locator('.dataset-bar__name').textContent()).toBe('train.json');
    const out = join(work, 'imported');
    mkdirSync(out, { recursive: true });
    cpSync('test/fixtures/dataset-import/coco/instances.json', join(out, 'instances.json'));
    writePng(join(out, 'images', 'street.png'), 640, 480, 10);
    writePng(join(out, 'images', 'city', 'wide.png'), 1920, 1080, 90);
    await page.getByRole('button', { name: /Import…/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Import annotations' });
    await dialog.getByRole('combobox', { name: 'Format' }).selectOption('coco');
    await dialog.getByRole('textbox', { name: 'Annotations' }).fill(join(out, 'instances.json'));
    await dialog.getByRole('textbox', { name: 'Images folder (optional)' }).fill(join(out, 'images'));
    await dialog.getByRole('combobox', { name: 'Conversation template' }).selectOption('grounding-en');
    await dialog.getByRole('textbox', { name: 'New dataset file' }).fill(join(out, 'train.json'));
    await dialog.getByRole('button', { name: 'Convert and open' }).click();
    const report = page.getByRole('dialog', { name: 'Annotations imported' });
    await report.getByRole('status').waitFor();
    // The fixture's left-out entries (a crowd region, an unknown category, a missing image…) are listed.
    expect(await report.getByRole('status').textContent()).toBe('2 samples from 3 images and 5 boxes.');
    expect(await report.getByRole('list').getByRole('listitem').count()).toBeGreaterThan(3);
    await report.getByRole('button', { name: 'Open the dataset' }).click();
    await expect.poll(() => page.locator('.dataset-bar__file').getAttribute('title')).toBe(join(out, 'train.json'));
    const written = readDataset(join(out, 'train.json'));
    expect(written?.length).toBeGreaterThan(0);
    expect(written?.[0]?.conversations.map(({ value }) => value)).toEqual([
      `Picture 1: <img>${join(out, 'images', 'street.png')}</img>\nBox the person in the image`,
      '<ref>person</ref><box>(16,42),(173,146)</box><box>(0,0),(100,100)</box><box>(938,833),(999,999)</box>',
      'Box the car in the image',
      expect.stringMatching(/^<ref>car<\/ref><box>/),
    ]);

    await page.getByRole('button', { name: /Export…/ }).click();
    const exporting = page.getByRole('dialog', { name: 'Export the dataset' });
    await exporting.getByRole('radio', { name: /LLaMA-Factory/ }).check();
    expect(await exporting.getByRole('textbox', { name: 'File to write' }).inputValue()).toBe(join(out, 'train-sharegpt.json'));
    await exporting.getByRole('button', { name: 'Export', exact: true }).click();
    const done = page.getByRole('dialog', { name: 'Exported' });
    await done.getByRole('status').waitFor();
    expect(await done.getByRole('status').textContent()).toMatch(/records? written to/);
    const sharegpt = JSON.parse(readFileSync(join(out, 'train-sharegpt.json'), 'utf8')) as Array<{ messages: unknown[]; images: string[] }>;
    expect(sharegpt.length).toBe(written?.length);
    expect(existsSync(join(out, 'train-sharegpt.json'))).toBe(true);
    await done.getByRole('button', { name: 'Close' }).click();

    // Save as: the workspace goes on in the new file, which holds the same samples.
    await page.getByRole('button', { name: 'Save as…' }).click();
    const saveAs = page.getByRole('dialog', { name: 'Save the dataset as' });
    await saveAs.getByRole('textbox', { name: 'File name' }).fill('copy.json');
    await saveAs.getByRole('button', { name: 'Choose' }).click();
    await expect.poll(() => page.locator('.dataset-bar__file').getAttribute('title')).toBe(join(out, 'copy.json'));
    expect(readDataset(join(out, 'copy.json'))).toEqual(written);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
