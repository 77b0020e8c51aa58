import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import type { TrainingField, TrainingForm } from '../../../../shared/guide/trainingForm';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { TextField } from '../../components/TextField';

const FIELDS: readonly TrainingField[] = ['model', 'data', 'outputDir', 'epochs', 'batchSize', 'gradientAccumulation', 'learningRate', 'saveSteps', 'deepspeed'];
const NODE_FIELDS: readonly TrainingField[] = ['gpusPerNode', 'nnodes', 'nodeRank', 'masterAddr', 'masterPort'];

interface TrainingFormViewProps {
  host: HostProfile;
  form: TrainingForm;
  errors: readonly FieldError[];
  /** Several hosts: NNODES, NODE_RANK and MASTER_ADDR come from the step, not this form. */
  multiNode: boolean;
  language: Language;
  onChange(form: TrainingForm): void;
}

/** finetune_ds.sh's settings on one host, each mistake under its field. */
export function TrainingFormView({ host, form, errors, multiNode, language, onChange }: TrainingFormViewProps) {
  const { t } = useTranslation();
  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message[language] ?? null;
  const field = (id: TrainingField, readOnly = false) => (
    <TextField key={id} label={t(`wizard.training.field.${id}`)} value={form[id]} readOnly={readOnly} error={errorOf(id)} onChange={(event) => onChange({ ...form, [id]: event.target.value })} />
  );
  return (
    <fieldset className="wizard-fieldset" aria-label={t('wizard.training.formOn', { host: host.name })}>
      <legend>{t('wizard.training.legend')}</legend>
      <div className="wizard-params">{FIELDS.map((id) => field(id))}</div>
      <label className="choice">
        <input type="checkbox" checked={form.fixPrefetchBucket} onChange={(event) => onChange({ ...form, fixPrefetchBucket: event.target.checked })} />
        <span>{t('wizard.training.fixPrefetch')}</span>
      </label>
      <fieldset className="wizard-subfieldset">
        <legend>{t('wizard.training.nodes')}</legend>
        {multiNode && <p className="wizard-muted">{t('wizard.training.nodesHint')}</p>}
        <div className="wizard-params">{NODE_FIELDS.map((id) => field(id, multiNode && id !== 'gpusPerNode' && id !== 'masterPort'))}</div>
      </fieldset>
      {errors
        .filter((error) => error.field === '')
        .map((error, index) => (
          <p key={index} className="form__error" role="alert">
            {error.message[language]}
          </p>
        ))}
    </fieldset>
  );
}
