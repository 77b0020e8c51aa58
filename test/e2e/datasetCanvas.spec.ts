// The box canvas in Chromium, driven with a real mouse and keyboard. The page is a test-only
// harness (test/e2e/harness) built here from the real modules, because the dataset screen that
// will mount the canvas does not exist yet.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxToQwen } from '../../shared/dataset/coordinates';
import { collectPageErrors, launchChromium, saveScreenshot } from '../support/chromium';

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

let outDir: string;
let server: Server;
let siteUrl: string;
let browser: Browser;

function serve(root: string): Promise<Server> {
  const site = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ready) => site.listen(0, '127.0.0.1', () => ready(site)));
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'qvl-canvas-harness-'));
  [, browser] = await Promise.all([build({ configFile: 'test/e2e/harness/vite.config.ts', build: { outDir } }), launchChromium()]);
  server = await serve(outDir);
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((closed) => (server ? server.close(closed) : closed(undefined)));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Point {
  x: number;
  y: number;
}

async function openHarness(lang: 'en' | 'zh', colorScheme: 'light' | 'dark', deviceScaleFactor = 1): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor, colorScheme, locale: lang === 'zh' ? 'zh-CN' : 'en-US' });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${siteUrl}/?lang=${lang}&theme=${colorScheme}`);
  await page.waitForFunction(() => window.harness?.ready === true);
  return { page, errors };
}

/** Page coordinates of an image pixel, through the canvas's view at this moment. */
function onScreen(page: Page, x: number, y: number): Promise<Point> {
  return page.evaluate(
    ([x, y]) => {
      const view = window.harness.controller?.getView() ?? { scale: 1, x: 0, y: 0 };
      const rect = document.querySelector('.box-stage__canvas')?.getBoundingClientRect() ?? { left: 0, top: 0 };
      return { x: rect.left + view.x + x * view.scale, y: rect.top + view.y + y * view.scale };
    },
    [x, y] as const,
  );
}

const imageUnder = (page: Page, point: Point) =>
  page.evaluate((point) => {
    const view = window.harness.controller?.getView() ?? { scale: 1, x: 0, y: 0 };
    const rect = document.querySelector('.box-stage__canvas')?.getBoundingClientRect() ?? { left: 0, top: 0 };
    return { x: (point.x - rect.left - view.x) / view.scale, y: (point.y - rect.top - view.y) / view.scale };
  }, point);

const floatBoxes = (page: Page) => page.evaluate(() => window.harness.controller?.getBoxes().map(({ label, box, hidden, locked }) => ({ label, box, hidden, locked })) ?? []);

const view = (page: Page) => page.evaluate(() => window.harness.controller?.getView());

async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

interface ListedBox {
  label: string;
  pixels: number[];
  qwen: number[];
  flags: string;
}

const LISTED = /^(.+): \((\d+), (\d+)\) to \((\d+), (\d+)\) px, Qwen-VL \((\d+),(\d+)\),\((\d+),(\d+)\)(?: \((.+)\))?$/;

/** The boxes as a screen reader reads them: the canvas's visually hidden list. */
async function listedBoxes(page: Page): Promise<ListedBox[]> {
  const items = await page.getByRole('list', { name: 'Boxes on this image' }).getByRole('listitem').allTextContents();
  return items.map((text) => {
    const match = LISTED.exec(text);
    if (!match) throw new Error(`unexpected box description: ${text}`);
    const numbers = match.slice(2, 10).map(Number);
    return { label: match[1] ?? '', pixels: numbers.slice(0, 4), qwen: numbers.slice(4, 8), flags: match[10] ?? '' };
  });
}

/** Within two image pixels: the mouse lands on whole screen pixels, about 0.7 image pixels here. */
function expectNear(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual?.forEach((value, i) => expect(Math.abs(value - (expected[i] ?? NaN))).toBeLessThanOrEqual(2));
}

/** The list's Qwen-VL integers are those of the exact float box, through the shared codec. */
async function expectQwenOfFloats(page: Page): Promise<void> {
  const listed = await listedBoxes(page);
  const floats = await floatBoxes(page);
  expect(listed.map((box) => box.qwen)).toEqual(floats.map(({ box }) => Object.values(boxToQwen(box, { width: 960, height: 600 }))));
}

/** The canvas pixel (RGB) at a page point, once the next frame is painted. */
function canvasPixel(page: Page, point: Point): Promise<number[]> {
  return page.evaluate(async (point) => {
    await new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted)));
    const canvas = document.querySelector<HTMLCanvasElement>('.box-stage__canvas');
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return [];
    const rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width;
    const data = context.getImageData(Math.round((point.x - rect.left) * ratio), Math.round((point.y - rect.top) * ratio), 1, 1).data;
    return [data[0] ?? 0, data[1] ?? 0, data[2] ?? 0];
  }, point);
}

function expectColor(actual: number[], hex: string): void {
  const expected = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  actual.forEach((value, i) => expect(Math.abs(value - (expected[i] ?? 0))).toBeLessThanOrEqual(10));
}

const DOG_BLUE = '#56b4e9';

describe('the box canvas', () => {
  it('draws, moves, resizes, relabels, zooms, pans, undoes and deletes with a real mouse and keyboard', async () => {
    const { page, errors } = await openHarness('en', 'light');

    // The image is decoded as training reads it: the EXIF rotation is not applied, and flagged.
    expect(await page.evaluate(() => window.harness.decoded)).toEqual({ asTraining: [960, 600], upright: [600, 960], exifOrientation: 6, redCornerTopLeft: true });
    await page.getByRole('note').filter({ hasText: 'EXIF orientation 6: training sees this image turned' }).waitFor();

    const canvas = page.getByRole('application', { name: /^Image and its boxes/ });
    const drawButton = page.getByRole('button', { name: 'Draw boxes' });
    await canvas.focus();
    await page.keyboard.press('w');
    expect(await drawButton.getAttribute('aria-pressed')).toBe('true');

    // 1. A box by dragging, with the current label; the live list and the preview follow.
    await drag(page, await onScreen(page, 100, 100), await onScreen(page, 300, 250));
    let listed = await listedBoxes(page);
    expect(listed.map((box) => box.label)).toEqual(['cat']);
    expectNear(listed[0]?.pixels, [100, 100, 300, 250]);
    await expectQwenOfFloats(page);
    const [first] = listed;
    expect(await page.getByLabel('Qwen-VL preview').textContent()).toBe(`Picture 1: <img>street-1.jpg</img>\n<ref>cat</ref><box>(${first?.qwen.slice(0, 2).join(',')}),(${first?.qwen.slice(2).join(',')})</box>`);

    // 2. A box by two clicks: the first corner, then the second; draw mode stays on.
    const corner = await onScreen(page, 500, 300);
    await page.mouse.click(corner.x, corner.y);
    const opposite = await onScreen(page, 700, 450);
    await page.mouse.move(opposite.x, opposite.y, { steps: 8 });
    await page.mouse.click(opposite.x, opposite.y);
    listed = await listedBoxes(page);
    expect(listed).toHaveLength(2);
    expectNear(listed[1]?.pixels, [500, 300, 700, 450]);

    // 3. Esc leaves draw mode; dragging the first box's middle moves it.
    await page.keyboard.press('Escape');
    expect(await drawButton.getAttribute('aria-pressed')).toBe('false');
    await drag(page, await onScreen(page, 200, 175), await onScreen(page, 250, 195));
    expectNear((await listedBoxes(page))[0]?.pixels, [150, 120, 350, 270]);

    // 4. Its bottom-right handle resizes it.
    const moved = (await floatBoxes(page))[0]?.box;
    await drag(page, await onScreen(page, moved?.x2 ?? 0, moved?.y2 ?? 0), await onScreen(page, 420, 330));
    expectNear((await listedBoxes(page))[0]?.pixels, [150, 120, 420, 330]);
    await expectQwenOfFloats(page);

    // 5. Each drag is one undo step; Ctrl+Shift+Z and Ctrl+Y redo.
    await page.keyboard.press('Control+z');
    expectNear((await listedBoxes(page))[0]?.pixels, [150, 120, 350, 270]);
    await page.keyboard.press('Control+z');
    expectNear((await listedBoxes(page))[0]?.pixels, [100, 100, 300, 250]);
    await page.keyboard.press('Control+Shift+z');
    expectNear((await listedBoxes(page))[0]?.pixels, [150, 120, 350, 270]);
    await page.keyboard.press('Control+y');
    expectNear((await listedBoxes(page))[0]?.pixels, [150, 120, 420, 330]);

    // 6. A digit labels the selected box, and becomes the label of the next ones.
    await page.keyboard.press('2');
    expect((await listedBoxes(page)).map((box) => box.label)).toEqual(['dog', 'cat']);
    expect(await page.getByRole('button', { name: 'Use dog for new boxes' }).getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(page, 'dataset-canvas-en-light');

    // 7. The wheel zooms at the pointer: the image point under it stays, and the box stays on its image pixels.
    const beforeZoom = await floatBoxes(page);
    const box = beforeZoom[0]?.box ?? { x1: 0, y1: 0, x2: 0, y2: 0 };
    // A quarter of the way down the left edge: between the corner and the middle handle.
    const leftEdge = () => onScreen(page, box.x1, box.y1 + (box.y2 - box.y1) / 4);
    expectColor(await canvasPixel(page, await leftEdge()), DOG_BLUE);
    // Pointer events carry whole CSS pixels: the point under the pointer is the one at the rounded position.
    const exact = await onScreen(page, 300, 200);
    const cursor = { x: Math.round(exact.x), y: Math.round(exact.y) };
    await page.mouse.move(cursor.x, cursor.y);
    const under = await imageUnder(page, cursor);
    const fitted = await view(page);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await view(page))?.scale).toBeGreaterThan((fitted?.scale ?? 0) * 1.5);
    const zoomedUnder = await imageUnder(page, cursor);
    expect(zoomedUnder.x).toBeCloseTo(under.x, 6);
    expect(zoomedUnder.y).toBeCloseTo(under.y, 6);
    expect(await floatBoxes(page)).toEqual(beforeZoom);
    expectColor(await canvasPixel(page, await leftEdge()), DOG_BLUE);
    expect(await page.getByRole('status', { name: 'Zoom' }).textContent()).toBe(`${Math.round(((await view(page))?.scale ?? 0) * 100)} %`);
    await saveScreenshot(page, 'dataset-canvas-en-light-zoomed');

    // 8. Space+drag pans, even starting on a box, which stays where it is; F fits again, 0 is 1:1.
    const panPoint = await onScreen(page, 300, 200);
    const panFrom = { x: Math.round(panPoint.x), y: Math.round(panPoint.y) };
    const panStart = await view(page);
    await page.keyboard.down('Space');
    await drag(page, panFrom, { x: panFrom.x - 80, y: panFrom.y - 40 });
    const panned = await view(page);
    expect((panned?.x ?? 0) - (panStart?.x ?? 0)).toBeCloseTo(-80, 0);
    expect((panned?.y ?? 0) - (panStart?.y ?? 0)).toBeCloseTo(-40, 0);
    // A wheel turn in the middle of a pan zooms, and the pan goes on from the zoomed view.
    await page.mouse.down();
    await page.mouse.wheel(0, 100);
    await expect.poll(async () => (await view(page))?.scale).toBeLessThan(panned?.scale ?? 0);
    const zoomedOut = await view(page);
    await page.mouse.move(panFrom.x - 60, panFrom.y - 40, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Space');
    expect(await view(page)).toEqual({ scale: zoomedOut?.scale, x: (zoomedOut?.x ?? 0) + 20, y: zoomedOut?.y });
    expect(await floatBoxes(page)).toEqual(beforeZoom);
    await page.keyboard.press('f');
    expect(await view(page)).toEqual(fitted);
    await page.keyboard.press('0');
    expect((await view(page))?.scale).toBe(1);
    await page.keyboard.press('f');

    // 9. Delete removes the selected box; undo brings it back, redo removes it again.
    await page.keyboard.press('Delete');
    expect((await listedBoxes(page)).map((listedBox) => listedBox.label)).toEqual(['cat']);
    await page.keyboard.press('Control+z');
    expect(await listedBoxes(page)).toHaveLength(2);
    await page.keyboard.press('Control+Shift+z');
    expect((await listedBoxes(page)).map((listedBox) => listedBox.label)).toEqual(['cat']);

    // The preview was rewritten inside each pointer event, so within the frame that shows the move.
    const previewMs = await page.evaluate(() => window.harness.previewMs);
    expect(previewMs.length).toBeGreaterThan(20);
    expect(Math.max(...previewMs)).toBeLessThan(16);
    console.info(`preview written ${previewMs.length} times during drags, at most ${Math.max(...previewMs).toFixed(2)} ms after the pointer event`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('hides, locks, nudges, copies and pastes, keeps each image’s undo history, and lists its keys (dark, 2× pixels)', async () => {
    const { page, errors } = await openHarness('en', 'dark', 2);
    const canvas = page.getByRole('application', { name: /^Image and its boxes/ });
    const status = page.locator('.box-stage [role="status"]');
    await canvas.focus();

    // The backing store follows the device pixel ratio, so lines stay sharp.
    expect(await page.evaluate(() => {
      const element = document.querySelector<HTMLCanvasElement>('.box-stage__canvas');
      return element ? [element.width, element.height, element.clientWidth * 2, element.clientHeight * 2] : [];
    })).toSatisfy(([width, height, cssWidth, cssHeight]: number[]) => width === cssWidth && height === cssHeight && (width ?? 0) > 0);

    await page.keyboard.press('r');
    const from = await onScreen(page, 400, 140);
    const to = await onScreen(page, 880, 460);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    // Mid-drag: the box being drawn, the crosshair, and the readout of position and size.
    await saveScreenshot(page, 'dataset-canvas-drawing-en-dark');
    await page.mouse.up();
    await page.keyboard.press('3');
    await page.keyboard.press('Escape');
    const drawn = (await floatBoxes(page))[0]?.box;
    expect((await listedBoxes(page))[0]?.label).toBe('bird');

    await page.keyboard.press('h');
    expect((await listedBoxes(page))[0]?.flags).toBe('hidden');
    await page.keyboard.press('h');
    expect((await listedBoxes(page))[0]?.flags).toBe('');

    // A locked box neither moves nor goes with Delete.
    await page.keyboard.press('l');
    expect((await listedBoxes(page))[0]?.flags).toBe('locked');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Delete');
    expect((await floatBoxes(page))[0]?.box).toEqual(drawn);
    await expect.poll(() => status.textContent()).toContain('The box is locked: Shift+Delete deletes it');
    await page.keyboard.press('l');

    // Arrows nudge by 1 px, 10 with Shift; each press is one step.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowDown');
    expect((await floatBoxes(page))[0]?.box).toEqual({ x1: (drawn?.x1 ?? 0) + 1, y1: (drawn?.y1 ?? 0) + 10, x2: (drawn?.x2 ?? 0) + 1, y2: (drawn?.y2 ?? 0) + 10 });
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect((await floatBoxes(page))[0]?.box).toEqual(drawn);
    await saveScreenshot(page, 'dataset-canvas-en-dark');

    // Copy here, D to the next image, paste; undo; paste the previous image's boxes; V marks it reviewed.
    await page.keyboard.press('Control+c');
    await expect.poll(() => status.textContent()).toContain('1 box copied');
    await page.keyboard.press('d');
    expect(await listedBoxes(page)).toEqual([]);
    await page.keyboard.press('Control+v');
    expect((await floatBoxes(page)).map(({ label, box }) => [label, box])).toEqual([['bird', drawn]]);
    await page.keyboard.press('Control+z');
    expect(await listedBoxes(page)).toEqual([]);
    await page.keyboard.press('Control+Shift+v');
    expect((await floatBoxes(page)).map(({ label, box }) => [label, box])).toEqual([['bird', drawn]]);
    await page.keyboard.press('v');
    expect(await page.evaluate(() => window.harness.reviewed)).toEqual(['street-2.jpg']);
    expect(await page.getByLabel('Qwen-VL preview').textContent()).toContain('<img>street-2.jpg</img>\n<ref>bird</ref>');

    // Back on the first image, its own history is still there: undo relocks the box.
    await page.keyboard.press('a');
    expect((await listedBoxes(page))[0]?.flags).toBe('');
    await page.keyboard.press('Control+z');
    expect((await listedBoxes(page))[0]?.flags).toBe('locked');

    // ? lists the keys, from the table the canvas uses.
    await page.keyboard.press('Shift+Slash');
    const help = page.getByRole('dialog', { name: 'Canvas keys' });
    await help.waitFor();
    for (const keys of ['W', 'Ctrl+Shift+Z', 'Ctrl+Y', 'Delete', '1–9', 'A', 'D', 'V', 'Ctrl+Shift+V', 'Space']) await help.getByText(keys, { exact: true }).first().waitFor();
    await saveScreenshot(page, 'dataset-canvas-keys-en-dark');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('box-stage__canvas');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keeps the size of the image the shown boxes belong to when the next image comes first, so its boxes paste scaled', async () => {
    const { page, errors } = await openHarness('en', 'light');
    const result = await page.evaluate(() => {
      const controller = window.harness.controller;
      if (!controller) return null;
      controller.setImage('small', null, { width: 1000, height: 500 });
      controller.setBoxes('small', [{ id: 'a', label: 'cat', box: { x1: 100, y1: 100, x2: 300, y2: 200 }, hidden: false, locked: false }]);
      // The next image's size arrives while the small image's boxes are still on the canvas.
      controller.setImage('big', null, { width: 2000, height: 1000 });
      const whileSwitching = { ...controller.editor.size };
      controller.setBoxes('big', []);
      const pasted = controller.pastePreviousImage();
      return { whileSwitching, pasted, boxes: controller.getBoxes().map(({ label, box }) => ({ label, box })) };
    });
    expect(result).toEqual({ whileSwitching: { width: 1000, height: 500 }, pasted: 1, boxes: [{ label: 'cat', box: { x1: 200, y1: 200, x2: 600, y2: 400 } }] });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`zh · ${colorScheme}: the label list adds, picks and renames labels that the canvas uses`, async () => {
      const { page, errors } = await openHarness('zh', colorScheme);
      const labels = page.getByRole('region', { name: '标签' });
      await labels.getByRole('textbox', { name: '新标签' }).fill('行人');
      await labels.getByRole('button', { name: '添加' }).click();
      await labels.getByRole('button', { name: '添加' }).click();
      await labels.getByRole('alert').filter({ hasText: '请输入名称。' }).waitFor();
      await labels.getByRole('button', { name: '新框使用 行人' }).click();
      expect(await labels.getByRole('button', { name: '新框使用 行人' }).getAttribute('aria-pressed')).toBe('true');

      const canvas = page.getByRole('application', { name: /^图片及其标注框/ });
      await canvas.focus();
      await page.keyboard.press('w');
      await drag(page, await onScreen(page, 560, 210), await onScreen(page, 650, 450));
      // The next box gets 行人 too, until 1 relabels it (the box just drawn is the selected one).
      await drag(page, await onScreen(page, 110, 140), await onScreen(page, 350, 445));
      await page.keyboard.press('1');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');

      await labels.getByRole('button', { name: '重命名 cat' }).click();
      await labels.getByRole('textbox', { name: 'cat 的新名称' }).fill('房子');
      await labels.getByRole('button', { name: '保存' }).click();
      const items = await page.getByRole('list', { name: '本图中的框' }).getByRole('listitem').allTextContents();
      expect(items.map((text) => text.split('：')[0])).toEqual(['行人', '房子']);
      expect(items[0]).toMatch(/^行人：\(\d+, \d+\) 至 \(\d+, \d+\) 像素，Qwen-VL \(\d+,\d+\),\(\d+,\d+\)$/);
      await page.getByRole('note').filter({ hasText: 'EXIF 方向为 6' }).waitFor();
      await saveScreenshot(page, `dataset-canvas-zh-${colorScheme}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
