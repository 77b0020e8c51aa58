import { useTranslation } from 'react-i18next';
import type { ItemStatus } from './wizardState';

const GLYPHS: Readonly<Record<ItemStatus, string>> = { pass: '✓', warn: '!', fail: '✗' };

/** A glyph and a spoken word as well as a color, so the status survives color blindness and screen readers. */
export function StatusMark({ status }: { status: ItemStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`wizard-mark wizard-mark--${status}`}>
      <span aria-hidden="true">{GLYPHS[status]}</span>
      <span className="visually-hidden">{t(`wizard.status.${status}`)}</span>
    </span>
  );
}
