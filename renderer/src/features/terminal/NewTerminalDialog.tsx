import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { TerminalTarget } from '../../../../shared/terminal/terminalApi';
import { Dialog } from '../../components/Dialog';
import { FormActions } from '../../components/FormActions';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { DEFAULT_CONTAINER_USER, selectContainerShell } from '../../store/selectors/terminalSelectors';

interface NewTerminalDialogProps {
  hosts: readonly HostProfile[];
  initialHost: HostId | null;
  onClose(): void;
}

/** Host shell or container shell on one of the connected hosts. */
export function NewTerminalDialog({ hosts, initialHost, onClose }: NewTerminalDialogProps) {
  const { t } = useTranslation();
  const terminalRequested = useAppStore((state) => state.terminalRequested);
  const [hostId, setHostId] = useState<HostId | null>(initialHost ?? hosts[0]?.id ?? null);
  const remembered = useAppStore(useShallow(selectContainerShell(hostId ?? '')));
  const id = useId();
  const [kind, setKind] = useState<TerminalTarget['kind']>('host');
  const [container, setContainer] = useState(remembered?.container ?? '');
  const [user, setUser] = useState(remembered?.user ?? DEFAULT_CONTAINER_USER);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!hostId) return;
    const target = TerminalTarget.safeParse(kind === 'host' ? { kind } : { kind, container: container.trim(), user: user.trim() });
    if (!target.success) {
      setError(t('terminal.form.invalid'));
      return;
    }
    terminalRequested({ hostId, target: target.data });
    onClose();
  };

  return (
    <Dialog title={t('terminal.form.title')} onClose={onClose} className="dialog--form">
      <form className="form" noValidate onSubmit={submit}>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-host`}>
            {t('terminal.form.host')}
          </label>
          <select id={`${id}-host`} className="field__input" value={hostId ?? ''} onChange={(event) => setHostId(event.target.value)} data-autofocus>
            {hosts.map((host) => (
              <option key={host.id} value={host.id}>
                {host.name}
              </option>
            ))}
          </select>
          {hosts.length === 0 && <p className="field__error">{t('terminal.form.noHost')}</p>}
        </div>
        <fieldset className="field choice-group">
          <legend className="field__label">{t('terminal.form.kind')}</legend>
          {(['host', 'container'] as const).map((option) => (
            <label key={option} className="choice">
              <input type="radio" name={`${id}-kind`} value={option} checked={kind === option} aria-describedby={`${id}-${option}-hint`} onChange={() => setKind(option)} />
              <span className="choice__text">
                <span className="choice__label">{option === 'host' ? t('terminal.form.kindHost') : t('terminal.form.kindContainer')}</span>
                <span id={`${id}-${option}-hint`} className="choice__hint">
                  {option === 'host' ? t('terminal.form.kindHostHint') : t('terminal.form.kindContainerHint')}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {kind === 'container' && (
          <div className="form__row">
            <TextField className="form__grow" label={t('terminal.form.container')} value={container} onChange={(event) => setContainer(event.target.value)} />
            <TextField className="form__grow" label={t('terminal.form.user')} value={user} onChange={(event) => setUser(event.target.value)} />
          </div>
        )}
        <FormActions error={error} cancelLabel={t('terminal.form.cancel')} onCancel={onClose}>
          <button type="submit" className="button" disabled={!hostId}>
            {t('terminal.form.open')}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
