// A page that mounts the real box canvas, label list and key list the way the dataset screen
// will: a two-image "document", a live Qwen-VL preview written from the change notifications,
// A/D to move between the images. What the spec needs to look at is on window.harness.

import { createElement, StrictMode, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { boxToQwen, formatRefBox } from '../../../shared/dataset/coordinates';
import { BoxCanvas } from '../../../renderer/src/features/dataset/BoxCanvas';
import type { BoxCanvasController } from '../../../renderer/src/features/dataset/canvas/boxCanvasController';
import { labelsWithColors } from '../../../renderer/src/features/dataset/canvas/labelPalette';
import { decodeAsTrainingSees } from '../../../renderer/src/features/dataset/canvas/trainingImage';
import type { TrainingImage } from '../../../renderer/src/features/dataset/canvas/trainingImage';
import type { BoxChange } from '../../../renderer/src/features/dataset/editing/boxEditor';
import type { EditableBox } from '../../../renderer/src/features/dataset/editing/editableBox';
import { LabelList } from '../../../renderer/src/features/dataset/LabelList';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import '../../../renderer/src/styles/app.css';
import './harness.css';
import { SCENE_SIZE, sceneJpeg } from './sceneImage';

const HARNESS_IMAGES = ['street-1.jpg', 'street-2.jpg'];
const STORED_ORIENTATION = 6;

interface Harness {
  ready: boolean;
  controller: BoxCanvasController | null;
  /** The test JPEG decoded as training sees it and as viewers show it: sizes, the tag read, whether the red corner stayed top-left. */
  decoded: { asTraining: [number, number]; upright: [number, number]; exifOrientation: number; redCornerTopLeft: boolean };
  /** Per pending change: ms from the start of the pointer event's dispatch to the preview written. */
  previewMs: number[];
  reviewed: string[];
}

declare global {
  interface Window {
    harness: Harness;
  }
}

let dispatchStart = 0;
window.addEventListener('pointermove', () => (dispatchStart = performance.now()), { capture: true });

function writePreview(element: HTMLElement | null, change: BoxChange): void {
  if (!element) return;
  const lines = change.boxes.map((box) => formatRefBox(box.label, boxToQwen(box.box, change.size)));
  element.textContent = `Picture 1: <img>${change.imageKey}</img>\n${lines.join('\n')}`;
}

function HarnessApp({ image }: { image: TrainingImage }) {
  const [names, setNames] = useState(['cat', 'dog', 'bird']);
  const labels = useMemo(() => labelsWithColors(names), [names]);
  const [controller, setController] = useState<BoxCanvasController | null>(null);
  const previewRef = useRef<HTMLPreElement>(null);
  const documentRef = useRef(new Map<string, readonly EditableBox[]>());
  const subscribe = useMemo(() => (notify: () => void) => controller?.onStateChange(notify) ?? (() => undefined), [controller]);
  const current = useSyncExternalStore(subscribe, () => controller?.getState().currentLabel ?? null);

  useEffect(() => {
    if (!controller) return;
    const document = documentRef.current;
    let shown = 0;
    const show = (index: number) => {
      shown = index;
      const key = HARNESS_IMAGES[index] ?? '';
      controller.setImage(key, image.bitmap, SCENE_SIZE, image.exifOrientation);
      controller.setBoxes(key, document.get(key) ?? []);
    };
    const offChange = controller.onChange((change) => {
      writePreview(previewRef.current, change);
      if (change.pending) window.harness.previewMs.push(performance.now() - dispatchStart);
      else document.set(change.imageKey, change.boxes);
    });
    const offIntent = controller.onIntent((intent) => {
      if (intent === 'nextImage') show(Math.min(shown + 1, HARNESS_IMAGES.length - 1));
      if (intent === 'previousImage') show(Math.max(shown - 1, 0));
      if (intent === 'markReviewed') window.harness.reviewed.push(HARNESS_IMAGES[shown] ?? '');
    });
    show(0);
    window.harness.controller = controller;
    window.harness.ready = true;
    return () => {
      offChange();
      offIntent();
      window.harness.ready = false;
    };
  }, [controller, image]);

  const rename = (from: string, to: string) => {
    setNames((list) => list.map((name) => (name === from ? to : name)));
    if (!controller) return;
    const renamed = controller.getBoxes().map((box) => (box.label === from ? { ...box, label: to } : box));
    controller.setBoxes(controller.editor.imageKey, renamed);
  };

  return createElement(
    'main',
    { className: 'harness' },
    createElement(
      'div',
      { className: 'harness__side' },
      createElement(LabelList, {
        labels,
        current,
        onPick: (name: string) => controller?.setCurrentLabel(name),
        onAdd: (name: string) => setNames((list) => [...list, name]),
        onRename: rename,
      }),
    ),
    createElement(BoxCanvas, { labels, onController: setController }),
    createElement('pre', { ref: previewRef, className: 'harness__preview', 'aria-label': 'Qwen-VL preview' }),
  );
}

function redCornerTopLeft(bitmap: ImageBitmap): boolean {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) return false;
  context.drawImage(bitmap, 0, 0);
  const [red = 0, green = 255, blue = 255] = context.getImageData(10, 10, 1, 1).data;
  return red > 200 && green < 60 && blue < 60;
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  document.documentElement.dataset.theme = params.get('theme') === 'dark' ? 'dark' : 'light';
  await initI18n(params.get('lang') === 'zh' ? 'zh' : 'en');
  const jpeg = await sceneJpeg(STORED_ORIENTATION);
  const image = await decodeAsTrainingSees(jpeg);
  const { bitmap } = image;
  const upright = await createImageBitmap(jpeg);
  window.harness = {
    ready: false,
    controller: null,
    decoded: { asTraining: [bitmap.width, bitmap.height], upright: [upright.width, upright.height], exifOrientation: image.exifOrientation, redCornerTopLeft: redCornerTopLeft(bitmap) },
    previewMs: [],
    reviewed: [],
  };
  upright.close();
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing');
  createRoot(root).render(createElement(StrictMode, null, createElement(HarnessApp, { image })));
}

void start();
