import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { DATASET_SHORTCUTS, datasetShortcutLabel, isMac } from '../shell/shortcuts';
import { CANVAS_KEY_HELP, keyCapLabel } from './canvas/canvasKeymap';

/** Every key of the box canvas, from the same table the canvas reads its keys from, then the screen's own. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const mac = isMac(navigator.platform);
  return (
    <Dialog title={t('dataset.keys.title')} onClose={onClose} className="canvas-keys">
      <dl className="canvas-keys__list">
        {CANVAS_KEY_HELP.map((row) => (
          <div key={row.action} className="canvas-keys__row">
            <dt className="canvas-keys__caps">
              {row.keys.map((keys) => (
                <kbd key={keys}>{keyCapLabel(keys, mac)}</kbd>
              ))}
            </dt>
            <dd>{t(`dataset.keys.actions.${row.action}`)}</dd>
          </div>
        ))}
      </dl>
      <p className="dialog__text dialog__text--muted">{t('dataset.keys.mouse')}</p>
      <h3 className="canvas-keys__heading">{t('dataset.shortcuts.title')}</h3>
      <dl className="canvas-keys__list">
        {DATASET_SHORTCUTS.map((shortcut) => (
          <div key={shortcut.action} className="canvas-keys__row">
            <dt className="canvas-keys__caps">
              <kbd>{datasetShortcutLabel(shortcut, mac)}</kbd>
            </dt>
            <dd>{t(`dataset.shortcuts.${shortcut.description}`)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button" data-autofocus onClick={onClose}>
        {t('dataset.keys.close')}
      </button>
    </Dialog>
  );
}
