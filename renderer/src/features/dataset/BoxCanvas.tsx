import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { BoxCanvasController } from './canvas/boxCanvasController';
import type { CanvasState, CanvasStrings } from './canvas/boxCanvasController';
import type { CanvasLabel } from './canvas/labelPalette';
import { HelpOverlay } from './HelpOverlay';
import './dataset.css';

function canvasStrings(t: TFunction): CanvasStrings {
  return {
    canvas: t('dataset.canvas.label'),
    boxList: t('dataset.canvas.boxes'),
    unlabeled: t('dataset.canvas.unlabeled'),
    describeBox: ({ label, pixels, qwen, hidden, locked }) => {
      const box = t('dataset.canvas.box', { label, ...pixels, qx1: qwen.x1, qy1: qwen.y1, qx2: qwen.x2, qy2: qwen.y2 });
      const flags = [hidden && t('dataset.canvas.hidden'), locked && t('dataset.canvas.locked')].filter((flag) => flag !== false);
      return flags.length === 0 ? box : t('dataset.canvas.withFlags', { box, flags: flags.join(t('dataset.canvas.flagSeparator')) });
    },
    added: (label) => t('dataset.canvas.added', { label }),
    deleted: (count) => t('dataset.canvas.deleted', { count }),
    lockedKept: t('dataset.canvas.lockedKept'),
    pasted: (count) => t('dataset.canvas.pasted', { count }),
    copied: (count) => t('dataset.canvas.copied', { count }),
    undone: t('dataset.canvas.undone'),
    redone: t('dataset.canvas.redone'),
    drawOn: t('dataset.canvas.drawOn'),
    drawOff: t('dataset.canvas.drawOff'),
  };
}

const NO_STATE = () => () => undefined;

interface BoxCanvasProps {
  labels: readonly CanvasLabel[];
  /** Gets the controller once mounted, and null on unmount: the screen feeds it images and boxes. */
  onController?: (controller: BoxCanvasController | null) => void;
  /** The user chose to keep the shown image's EXIF rotation as training sees it. */
  exifKept?: boolean;
  /** Offer the choices for a flagged image (absent: the flag only informs). */
  onKeepExif?: () => void;
  onWriteUpright?: () => void;
}

/**
 * Mounts the framework-free box canvas with a small toolbar, the EXIF flag and the key list.
 * Only the canvas's small state (mode, undo availability, selection) reaches React.
 */
export function BoxCanvas({ labels, onController, exifKept = false, onKeepExif, onWriteUpright }: BoxCanvasProps) {
  const { t } = useTranslation();
  const strings = useMemo(() => canvasStrings(t), [t]);
  const [controller, setController] = useState<BoxCanvasController | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const zoomRef = useRef<HTMLOutputElement>(null);
  // The stage's ref callback runs before this component's effects: it reads the first values here.
  const latest = useRef({ strings, labels, onController });
  useLayoutEffect(() => {
    latest.current = { strings, labels, onController };
  });

  const stageRef = useCallback((stage: HTMLDivElement | null) => {
    if (!stage) return;
    const created = new BoxCanvasController(stage, { strings: latest.current.strings, labels: latest.current.labels });
    const offView = created.onViewChange((view) => {
      if (zoomRef.current) zoomRef.current.textContent = `${Math.round(view.scale * 100)} %`;
    });
    const offIntent = created.onIntent((intent) => {
      if (intent === 'help') setHelpOpen(true);
    });
    setController(created);
    latest.current.onController?.(created);
    return () => {
      offView();
      offIntent();
      latest.current.onController?.(null);
      created.destroy();
      setController(null);
    };
  }, []);

  const subscribe = useMemo(() => (controller ? (notify: () => void) => controller.onStateChange(notify) : NO_STATE), [controller]);
  const state: CanvasState | null = useSyncExternalStore(subscribe, () => controller?.getState() ?? null);

  useEffect(() => controller?.setStrings(strings), [controller, strings]);
  useEffect(() => controller?.setLabels(labels), [controller, labels]);

  const drawing = state?.mode === 'draw';
  return (
    <div className="box-canvas">
      {/* Buttons keep the focus on the canvas, so its keys go on working after a click. */}
      <div className="box-canvas__toolbar" role="toolbar" aria-label={t('dataset.canvas.tools')} onMouseDown={(event) => event.preventDefault()}>
        <button type="button" className="button button--quiet button--small" aria-pressed={drawing} onClick={() => controller?.setDrawMode(!drawing)}>
          {t('dataset.canvas.draw')} <kbd aria-hidden="true">W</kbd>
        </button>
        <button type="button" className="button button--quiet button--small" disabled={!state?.canUndo} onClick={() => controller?.undo()}>
          {t('dataset.canvas.undo')}
        </button>
        <button type="button" className="button button--quiet button--small" disabled={!state?.canRedo} onClick={() => controller?.redo()}>
          {t('dataset.canvas.redo')}
        </button>
        <span className="box-canvas__spacer" />
        <button type="button" className="button button--quiet button--small" onClick={() => controller?.fit()}>
          {t('dataset.canvas.fit')}
        </button>
        <button type="button" className="button button--quiet button--small" onClick={() => controller?.actualSize()}>
          {t('dataset.canvas.actualSize')}
        </button>
        <output ref={zoomRef} className="box-canvas__zoom" aria-label={t('dataset.canvas.zoom')} />
        <button type="button" className="button button--quiet button--small" onClick={() => setHelpOpen(true)}>
          {t('dataset.canvas.keys')} <kbd aria-hidden="true">?</kbd>
        </button>
      </div>
      {state &&
        state.exifOrientation !== 1 &&
        (exifKept ? (
          <div className="box-canvas__exif box-canvas__exif--kept" role="note">
            {t('dataset.canvas.exifKept', { orientation: state.exifOrientation })}
          </div>
        ) : (
          <div className="box-canvas__exif" role="note">
            <strong>{t('dataset.canvas.exifTitle', { orientation: state.exifOrientation })}</strong> {t('dataset.canvas.exifBody')}
            {onKeepExif && (
              <button type="button" className="button button--small box-canvas__exif-action" onClick={onKeepExif}>
                {t('dataset.canvas.exifKeep')}
              </button>
            )}
            {onWriteUpright && (
              <button type="button" className="button button--quiet button--small box-canvas__exif-action" title={t('dataset.canvas.exifUprightHint')} onClick={onWriteUpright}>
                {t('dataset.canvas.exifUpright')}
              </button>
            )}
          </div>
        ))}
      <div ref={stageRef} className="box-canvas__stage" />
      {helpOpen && (
        <HelpOverlay
          onClose={() => {
            setHelpOpen(false);
            controller?.focus();
          }}
        />
      )}
    </div>
  );
}
