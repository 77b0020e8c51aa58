import { useId, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { ApiError } from '../../../../shared/api/apiError';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/icons';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { selectHostNames } from '../../store/selectors/hostsSelectors';
import { serverFieldIssues } from './formIssues';
import type { FieldIssues } from './formIssues';
import { AUTH_MODES, formValuesOf, HOST_FORM_FIELDS, MAX_JUMPS, NEW_HOST, validateHostForm } from './hostForm';
import type { HostFormValues } from './hostForm';
import { useAsyncTask } from './useAsyncTask';
import { useFormAttempts } from './useFormAttempts';
import { useFieldErrors } from './useIssueText';
import { FormActions } from '../../components/FormActions';

interface HostFormDialogProps {
  /** Absent: a new host. */
  profile?: HostProfile;
  onClose(): void;
}

export function HostFormDialog({ profile, onClose }: HostFormDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const names = useAppStore(useShallow(selectHostNames));
  const [values, setValues] = useState<HostFormValues>(() => (profile ? formValuesOf(profile) : NEW_HOST));
  const { form, attempted, attempt } = useFormAttempts();
  const [serverIssues, setServerIssues] = useState<FieldIssues>({});
  const task = useAsyncTask();
  const jumpListId = useId();
  const authHintId = useId();

  const jumpCandidates = useMemo(() => names.filter((name) => name !== profile?.name), [names, profile?.name]);
  const result = useMemo(() => validateHostForm(values, jumpCandidates), [values, jumpCandidates]);
  const error = useFieldErrors({ ...(attempted && !result.ok ? result.issues : {}), ...serverIssues });

  const change = (patch: Partial<HostFormValues>) => {
    setValues((current) => ({ ...current, ...patch }));
    setServerIssues({});
  };
  const changeJump = (index: number, entry: string) => change({ jump: values.jump.map((current, at) => (at === index ? entry : current)) });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    attempt();
    if (!result.ok || task.busy) return;
    const fields = result.fields;
    void task.run(async () => {
      try {
        if (profile) await api.hosts.update({ id: profile.id, fields });
        else await api.hosts.add(fields);
        onClose();
      } catch (failure) {
        if (!(failure instanceof ApiError && failure.code === 'invalid-input')) throw failure;
        const parsed = serverFieldIssues(failure.message, HOST_FORM_FIELDS);
        setServerIssues(parsed.issues);
        if (parsed.rest) throw new Error(parsed.rest);
      }
    });
  };

  return (
    <Dialog title={profile ? t('hostForm.editTitle', { name: profile.name }) : t('hostForm.addTitle')} onClose={onClose} className="dialog--form">
      <form ref={form} className="form" noValidate onSubmit={submit}>
        <TextField label={t('hostForm.name')} hint={t('hostForm.nameHint')} error={error('name')} value={values.name} onChange={(event) => change({ name: event.target.value })} data-autofocus />
        <div className="form__row">
          <TextField className="form__grow" label={t('hostForm.host')} hint={t('hostForm.hostHint')} error={error('host')} value={values.host} onChange={(event) => change({ host: event.target.value })} />
          <TextField className="form__port" label={t('hostForm.port')} inputMode="numeric" error={error('port')} value={values.port} onChange={(event) => change({ port: event.target.value })} />
        </div>
        <TextField label={t('hostForm.user')} hint={t('hostForm.userHint')} error={error('user')} value={values.user} onChange={(event) => change({ user: event.target.value })} />

        <fieldset className="field choice-group">
          <legend className="field__label">{t('hostForm.auth')}</legend>
          {AUTH_MODES.map((mode) => (
            <label key={mode} className="choice">
              <input type="radio" name="auth" value={mode} checked={values.auth === mode} aria-describedby={`${authHintId}-${mode}`} onChange={() => change({ auth: mode })} />
              <span className="choice__text">
                <span className="choice__label">{t(`hostForm.authMode.${mode}.label`)}</span>
                <span id={`${authHintId}-${mode}`} className="choice__hint">
                  {t(`hostForm.authMode.${mode}.hint`)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>

        {/* Only these two modes read a key file; the path is kept, not lost, while another is chosen. */}
        {(values.auth === 'auto' || values.auth === 'key') && (
          <TextField
            label={t('hostForm.identityFile')}
            hint={t('hostForm.identityFileHint')}
            error={error('identityFile')}
            value={values.identityFile}
            onChange={(event) => change({ identityFile: event.target.value })}
          />
        )}

        <fieldset className="field">
          <legend className="field__label">{t('hostForm.jump')}</legend>
          <p className="field__hint field__hint--top">{t('hostForm.jumpHint')}</p>
          {values.jump.map((entry, index) => (
            <div key={index} className="jump-row">
              <TextField
                className="form__grow"
                label={t('hostForm.jumpEntry', { n: index + 1 })}
                list={jumpListId}
                error={error(`jump.${index}`)}
                value={entry}
                onChange={(event) => changeJump(index, event.target.value)}
              />
              <button
                type="button"
                className="icon-button icon-button--small"
                aria-label={t('hostForm.removeJump', { n: index + 1 })}
                title={t('hostForm.removeJump', { n: index + 1 })}
                onClick={() => change({ jump: values.jump.filter((_, at) => at !== index) })}
              >
                <Icon name="close" size={16} />
              </button>
            </div>
          ))}
          {error('jump') && <p className="field__error">{error('jump')}</p>}
          {values.jump.length < MAX_JUMPS && (
            <button type="button" className="button button--small button--quiet" onClick={() => change({ jump: [...values.jump, ''] })}>
              <Icon name="plus" size={14} />
              {t('hostForm.addJump')}
            </button>
          )}
          <datalist id={jumpListId}>
            {jumpCandidates.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </fieldset>

        <FormActions error={task.error} cancelLabel={t('hostForm.cancel')} onCancel={onClose}>
          <button type="submit" className="button" disabled={task.busy}>
            {task.busy ? t('hostForm.saving') : profile ? t('hostForm.submitSave') : t('hostForm.submitAdd')}
          </button>
        </FormActions>
      </form>
    </Dialog>
  );
}
