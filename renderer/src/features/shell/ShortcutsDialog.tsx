import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { isMac, SHORTCUTS, shortcutLabel } from './shortcuts';

export function ShortcutsDialog() {
  const { t } = useTranslation();
  const open = useAppStore((state) => state.shortcutsOpen);
  const shortcutsToggled = useAppStore((state) => state.shortcutsToggled);
  const dialog = useRef<HTMLDialogElement>(null);
  const mac = isMac(navigator.platform);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="shortcuts-title" onClose={() => shortcutsToggled(false)}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.code}>
              <td>
                <kbd>{shortcutLabel(shortcut, mac)}</kbd>
              </td>
              <td>{t(`shortcuts.${shortcut.description}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" autoFocus onClick={() => shortcutsToggled(false)}>
        {t('shortcuts.close')}
      </button>
    </dialog>
  );
}
