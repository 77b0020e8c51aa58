import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { useAppStore } from '../../store/appStore';
import { DATASET_SHORTCUTS, datasetShortcutLabel, isMac, SHORTCUTS, shortcutLabel, TERMINAL_KEY_NOTES, TERMINAL_SHORTCUTS, terminalKeyNoteLabel, terminalPasteKeys, terminalShortcutLabel } from './shortcuts';

export function ShortcutsDialog() {
  const { t } = useTranslation();
  const open = useAppStore((state) => state.shortcutsOpen);
  const shortcutsToggled = useAppStore((state) => state.shortcutsToggled);
  const mac = isMac(navigator.platform);
  if (!open) return null;

  return (
    <Dialog title={t('shortcuts.title')} onClose={() => shortcutsToggled(false)}>
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
      <table className="shortcuts-table">
        <caption>{t('terminal.shortcuts.heading')}</caption>
        <tbody>
          {TERMINAL_SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>
                <kbd>{terminalShortcutLabel(shortcut, mac)}</kbd>
              </td>
              <td>{t(`terminal.shortcuts.${shortcut.description}`)}</td>
            </tr>
          ))}
          {TERMINAL_KEY_NOTES.map((note) => (
            <tr key={note.code}>
              <td>
                <kbd>{terminalKeyNoteLabel(note, mac)}</kbd>
              </td>
              <td>{t(`terminal.shortcuts.${note.description}`, { paste: terminalPasteKeys(mac) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="shortcuts-table">
        <caption>{t('dataset.shortcuts.title')}</caption>
        <tbody>
          {DATASET_SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>
                <kbd>{datasetShortcutLabel(shortcut, mac)}</kbd>
              </td>
              <td>{t(`dataset.shortcuts.${shortcut.description}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button" data-autofocus onClick={() => shortcutsToggled(false)}>
        {t('shortcuts.close')}
      </button>
    </Dialog>
  );
}
