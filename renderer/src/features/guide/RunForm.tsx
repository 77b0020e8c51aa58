import { useTranslation } from 'react-i18next';
import { CONTROL_DEVICES } from '../../../../shared/guide/dockerRunForm';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import { PARAM_LABELS } from '../../../../shared/guide/guideParams';
import type { ParamId } from '../../../../shared/guide/guideParams';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';
import type { Language } from '../../../../shared/settings/settings';
import { TextField } from '../../components/TextField';
import { NPU_CHOICES, messagesByField, npuMessages, withMountAdded, withMountChanged, withMountRemoved, withNpuToggled } from './containerForm';
import type { ContainerAnswers } from './containerForm';

const PARAMS: readonly ParamId[] = ['workDir', 'containerWorkDir', 'containerName'];

interface RunFormProps {
  answers: ContainerAnswers;
  /** The form's own mistakes and, once asked, the server's (a card another container holds). */
  errors: readonly FieldError[];
  disabled: boolean;
  language: Language;
  onChange(answers: ContainerAnswers): void;
}

/** The guide's `docker run` as fields, each mistake said under the field it is about. */
export function RunForm({ answers, errors, disabled, language, onChange }: RunFormProps) {
  const { t } = useTranslation();
  const byField = messagesByField(errors);
  const byNpu = npuMessages(answers.options, errors);
  const text = (message: LocalizedText | undefined) => message?.[language] ?? null;
  const { params, options } = answers;
  const setOptions = (next: ContainerAnswers['options']) => onChange({ params, options: next });
  const formWide = [byField.get(''), byField.get('mounts'), byField.get('npus')].filter((message): message is LocalizedText => message !== undefined);

  return (
    <fieldset className="wizard-fieldset" disabled={disabled}>
      <legend>{t('wizard.container.formLegend')}</legend>
      <div className="wizard-params">
        {PARAMS.map((id) => (
          <TextField key={id} label={PARAM_LABELS[id][language]} value={params[id]} error={text(byField.get(id))} onChange={(event) => onChange({ options, params: { ...params, [id]: event.target.value } })} />
        ))}
        <TextField label={t('wizard.container.shmSize')} value={options.shmSize} error={text(byField.get('shmSize'))} onChange={(event) => setOptions({ ...options, shmSize: event.target.value })} />
      </div>
      <fieldset className="wizard-subfieldset">
        <legend>{t('wizard.container.npus')}</legend>
        <p className="wizard-muted">{t('wizard.container.npuHint')}</p>
        <div className="wizard-npus">
          {NPU_CHOICES.map((npu) => (
            <label key={npu} className={byNpu.has(npu) ? 'choice choice--bad' : 'choice'}>
              <input type="checkbox" checked={options.npus.includes(npu)} aria-invalid={byNpu.has(npu) || undefined} onChange={() => setOptions(withNpuToggled(options, npu))} />
              <span>{`davinci${npu}`}</span>
            </label>
          ))}
        </div>
        {[...byNpu.values()].map((message, index) => (
          <p key={index} className="field__error">
            {message[language]}
          </p>
        ))}
        <p className="wizard-muted">{t('wizard.container.devices', { devices: CONTROL_DEVICES.join(' ') })}</p>
      </fieldset>
      <fieldset className="wizard-subfieldset">
        <legend>{t('wizard.container.mounts')}</legend>
        <ol className="wizard-mounts">
          {options.mounts.map((mount, index) => {
            const n = index + 1;
            return (
              <li key={index} className="wizard-mount">
                <TextField
                  label={t('wizard.container.mountHost', { n })}
                  value={mount.host}
                  error={text(byField.get(`mounts.${index}.host`))}
                  onChange={(event) => setOptions(withMountChanged(options, index, { host: event.target.value }))}
                />
                <TextField
                  label={t('wizard.container.mountContainer', { n })}
                  value={mount.container}
                  error={text(byField.get(`mounts.${index}.container`))}
                  onChange={(event) => setOptions(withMountChanged(options, index, { container: event.target.value }))}
                />
                <label className="choice">
                  <input type="checkbox" checked={mount.readOnly} onChange={(event) => setOptions(withMountChanged(options, index, { readOnly: event.target.checked }))} />
                  <span>{t('wizard.container.readOnly')}</span>
                </label>
                <button type="button" className="button button--small button--quiet" aria-label={t('wizard.container.removeMount', { n })} onClick={() => setOptions(withMountRemoved(options, index))}>
                  ✕
                </button>
              </li>
            );
          })}
        </ol>
        <button type="button" className="button button--small button--quiet" onClick={() => setOptions(withMountAdded(options))}>
          {t('wizard.container.addMount')}
        </button>
        <p className="wizard-muted">{t('wizard.container.workDirMount', { host: params.workDir, container: params.containerWorkDir })}</p>
        <p className="wizard-muted">{options.hostNetwork ? t('wizard.container.hostNetwork') : t('wizard.container.bridgeNetwork')}</p>
      </fieldset>
      {formWide.map((message, index) => (
        <p key={index} className="form__error" role="alert">
          {message[language]}
        </p>
      ))}
    </fieldset>
  );
}
