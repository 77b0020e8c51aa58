// The canvas's keys, by physical key (KeyboardEvent.code) so they work with any layout and while
// a Chinese input method is on. Letters follow labelImg / X-AnyLabeling (W or R draw, A/D
// previous/next image), undo and redo follow CVAT and Label Studio. Ctrl+Shift+letter stays the
// app's (shell/shortcuts.ts), Alt combinations the system's.

import type { Messages } from '../../../i18n/locales/en';

export type CanvasIntent = 'previousImage' | 'nextImage' | 'markReviewed' | 'help';

export type CanvasCommand =
  | { kind: 'toggleDraw' }
  | { kind: 'escape' }
  | { kind: 'delete'; force: boolean }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'pickLabel'; index: number }
  | { kind: 'toggleHidden' }
  | { kind: 'toggleLocked' }
  | { kind: 'nudge'; dx: number; dy: number }
  | { kind: 'selectNext'; step: 1 | -1 }
  | { kind: 'copy' }
  | { kind: 'paste' }
  | { kind: 'pastePrevious' }
  | { kind: 'fit' }
  | { kind: 'actualSize' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'intent'; intent: CanvasIntent };

type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

const NUDGE_PX = 1;
const NUDGE_SHIFT_PX = 10;
export const KEY_ZOOM_FACTOR = 1.25;

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function withModifier(code: string, shift: boolean): CanvasCommand | null {
  switch (code) {
    case 'KeyZ':
      return { kind: shift ? 'redo' : 'undo' };
    case 'KeyY':
      return shift ? null : { kind: 'redo' };
    case 'KeyC':
      return shift ? null : { kind: 'copy' };
    case 'KeyV':
      return { kind: shift ? 'pastePrevious' : 'paste' };
    default:
      return null;
  }
}

/** Keys that mean the same with or without Shift. */
function anyShift(code: string, shift: boolean): CanvasCommand | null {
  const arrow = ARROWS[code];
  if (arrow) {
    const step = shift ? NUDGE_SHIFT_PX : NUDGE_PX;
    return { kind: 'nudge', dx: arrow[0] * step, dy: arrow[1] * step };
  }
  switch (code) {
    case 'Escape':
      return { kind: 'escape' };
    case 'Delete':
    case 'Backspace':
      return { kind: 'delete', force: shift };
    case 'Equal':
    case 'NumpadAdd':
      return { kind: 'zoom', factor: KEY_ZOOM_FACTOR };
    case 'Minus':
    case 'NumpadSubtract':
      return { kind: 'zoom', factor: 1 / KEY_ZOOM_FACTOR };
    case 'Slash':
      return shift ? { kind: 'intent', intent: 'help' } : null;
    default:
      return null;
  }
}

function plain(code: string): CanvasCommand | null {
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (digit) return digit[1] === '0' ? { kind: 'actualSize' } : { kind: 'pickLabel', index: Number(digit[1]) - 1 };
  switch (code) {
    case 'KeyW':
    case 'KeyR':
      return { kind: 'toggleDraw' };
    case 'KeyH':
      return { kind: 'toggleHidden' };
    case 'KeyL':
      return { kind: 'toggleLocked' };
    case 'BracketRight':
      return { kind: 'selectNext', step: 1 };
    case 'BracketLeft':
      return { kind: 'selectNext', step: -1 };
    case 'KeyF':
      return { kind: 'fit' };
    case 'KeyA':
      return { kind: 'intent', intent: 'previousImage' };
    case 'KeyD':
      return { kind: 'intent', intent: 'nextImage' };
    case 'KeyV':
      return { kind: 'intent', intent: 'markReviewed' };
    default:
      return null;
  }
}

/** Ctrl on Windows and Linux, ⌘ on macOS. */
export function commandForKey(event: KeyLike, mac: boolean): CanvasCommand | null {
  if (event.altKey || (mac ? event.ctrlKey : event.metaKey)) return null;
  if (mac ? event.metaKey : event.ctrlKey) return withModifier(event.code, event.shiftKey);
  return anyShift(event.code, event.shiftKey) ?? (event.shiftKey ? null : plain(event.code));
}

export type KeyHelpAction = keyof Messages['dataset']['keys']['actions'];

export interface KeyHelp {
  /** Key caps; `Mod+` is Ctrl, or ⌘ on macOS. */
  readonly keys: readonly string[];
  readonly action: KeyHelpAction;
}

/** What the help overlay lists, in this order. */
export const CANVAS_KEY_HELP: readonly KeyHelp[] = [
  { keys: ['W', 'R'], action: 'draw' },
  { keys: ['Esc'], action: 'escape' },
  { keys: ['1–9'], action: 'label' },
  { keys: ['A', 'D'], action: 'navigate' },
  { keys: ['V'], action: 'review' },
  { keys: ['Mod+Z'], action: 'undo' },
  { keys: ['Mod+Shift+Z', 'Mod+Y'], action: 'redo' },
  { keys: ['Delete', 'Backspace'], action: 'delete' },
  { keys: ['H'], action: 'hide' },
  { keys: ['L'], action: 'lock' },
  { keys: ['← ↑ → ↓', 'Shift+← ↑ → ↓'], action: 'nudge' },
  { keys: ['[', ']'], action: 'cycle' },
  { keys: ['Mod+C', 'Mod+V'], action: 'copyPaste' },
  { keys: ['Mod+Shift+V'], action: 'pastePrevious' },
  { keys: ['+', '−'], action: 'zoom' },
  { keys: ['Space'], action: 'pan' },
  { keys: ['F'], action: 'fit' },
  { keys: ['0'], action: 'actualSize' },
  { keys: ['?'], action: 'help' },
];

export function keyCapLabel(keys: string, mac: boolean): string {
  return mac ? keys.replace('Mod+', '⌘').replace('Shift+', '⇧') : keys.replace('Mod+', 'Ctrl+');
}
