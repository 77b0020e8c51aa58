import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { SIDE_PANEL_MAX_WIDTH, SIDE_PANEL_MIN_WIDTH } from '../../../../shared/settings/settings';
import { useAppStore } from '../../store/appStore';
import { useUpdateSettings } from './useSettingsSync';

const KEY_STEP = 16;

function clampWidth(width: number): number {
  const max = Math.min(SIDE_PANEL_MAX_WIDTH, Math.max(SIDE_PANEL_MIN_WIDTH, window.innerWidth - 480));
  return Math.round(Math.min(max, Math.max(SIDE_PANEL_MIN_WIDTH, width)));
}

/**
 * Drags resize the panel through a CSS variable, outside React, and the width is saved once on
 * release; arrow keys resize it for keyboard users.
 */
export function SidePanelSplitter({ shellRef }: { shellRef: RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation();
  const width = useAppStore((state) => state.settings.sidePanel.width);
  const updateSettings = useUpdateSettings();
  const drag = useRef<{ startX: number; startWidth: number; width: number } | null>(null);

  const preview = (next: number) => shellRef.current?.style.setProperty('--side-panel-width', `${next}px`);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startWidth: width, width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current.width = clampWidth(drag.current.startWidth + drag.current.startX - event.clientX);
    preview(drag.current.width);
  };
  const onPointerUp = () => {
    if (!drag.current) return;
    const next = drag.current.width;
    drag.current = null;
    if (next !== width) updateSettings({ sidePanel: { width: next } });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const delta = event.key === 'ArrowLeft' ? KEY_STEP : event.key === 'ArrowRight' ? -KEY_STEP : 0;
    const target = event.key === 'Home' ? SIDE_PANEL_MIN_WIDTH : event.key === 'End' ? SIDE_PANEL_MAX_WIDTH : width + delta;
    if (target === width) return;
    event.preventDefault();
    const next = clampWidth(target);
    preview(next);
    updateSettings({ sidePanel: { width: next } });
  };

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('loss.resize')}
      aria-valuemin={SIDE_PANEL_MIN_WIDTH}
      aria-valuemax={SIDE_PANEL_MAX_WIDTH}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
