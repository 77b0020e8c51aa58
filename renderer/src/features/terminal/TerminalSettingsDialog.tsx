import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TERMINAL_FONT_SIZE, TERMINAL_SCROLLBACK, TerminalSettings } from '../../../../shared/settings/settings';
import { Dialog } from '../../components/Dialog';
import { FormActions } from '../../components/FormActions';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { useUpdateSettings } from '../shell/useSettingsSync';

export function TerminalSettingsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const current = useAppStore((state) => state.settings.terminal);
  const updateSettings = useUpdateSettings();
  const [fontSize, setFontSize] = useState(String(current.fontSize));
  const [scrollback, setScrollback] = useState(String(current.scrollback));
  const [copyOnSelect, setCopyOnSelect] = useState(current.copyOnSelect);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = TerminalSettings.safeParse({ fontSize: Number(fontSize), scrollback: Number(scrollback), copyOnSelect });
    if (!parsed.success) {
      setError(t('terminal.settingsDialog.invalid', { minFont: TERMINAL_FONT_SIZE.min, maxFont: TERMINAL_FONT_SIZE.max, minLines: TERMINAL_SCROLLBACK.min, maxLines: TERMINAL_SCROLLBACK.max }));
      return;
    }
    updateSettings({ terminal: parsed.data });
    onClose();
  };

  return (
    <Dialog title={t('terminal.settingsDialog.title')} onClose={onClose} className="dialog--form">
      <form className="form" noValidate onSubmit={submit}>
        <TextField
          label={t('terminal.settingsDialog.fontSize')}
          hint={t('terminal.settingsDialog.fontSizeHint')}
          type="number"
          min={TERMINAL_FONT_SIZE.min}
          max={TERMINAL_FONT_SIZE.max}
          value={fontSize}
          onChange={(event) => setFontSize(event.target.value)}
          data-autofocus
        />
        <TextField
          label={t('terminal.settingsDialog.scrollback')}
          hint={t('terminal.settingsDialog.scrollbackHint', { max: TERMINAL_SCROLLBACK.max })}
          type="number"
          min={TERMINAL_SCROLLBACK.min}
          max={TERMINAL_SCROLLBACK.max}
          step={1000}
          value={scrollback}
          onChange={(event) => setScrollback(event.target.value)}
        />
        <label className="checkbox">
          <input type="checkbox" checked={copyOnSelect} onChange={(event) => setCopyOnSelect(event.target.checked)} />
          {t('terminal.settingsDialog.copyOnSelect')}
        </label>
        <FormActions error={error} cancelLabel={t('terminal.settingsDialog.cancel')} onCancel={onClose}>
          <button type="submit" className="button">
            {t('terminal.settingsDialog.save')}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
