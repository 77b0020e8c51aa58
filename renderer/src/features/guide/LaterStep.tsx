import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lossSource } from '../../../../shared/guide/lossNode';
import type { TrainingForm } from '../../../../shared/guide/trainingForm';
import { DATA_DIR, joinPath } from '../../../../shared/guide/workPaths';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { TextField } from '../../components/TextField';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { hostProgress } from './guideProgress';
import { LaterHost } from './LaterHost';
import { TrainingStop } from './TrainingStop';
import { initialTrainingForm, nodeForms, nodeRuns, paramsOf, resultsOf } from './laterSteps';
import { StepFrame } from './StepFrame';
import type { OpenStepProps } from './StepFrame';

/** The training dataset Step 6 points DATA at when Step 5 has not named one. */
const DEFAULT_DATASET = 'train.json';

/** Steps 3–6: checked per host with that host's own answers, each item's action next to its verdict. */
export function LaterStep({ step, number, hosts, progress, outputs, params, options, language, onChecked }: OpenStepProps) {
  const api = useApi();
  const { t } = useTranslation();
  const check = useAsyncTask();
  const [forms, setForms] = useState<Readonly<Record<HostId, TrainingForm>>>({});
  const [masterAddr, setMasterAddr] = useState<string | null>(null);
  const isTraining = step.id === 'training';

  const checkHost = async (host: HostProfile) => {
    const answers = paramsOf(hostProgress(progress, host.id), params);
    onChecked(await api.guide.check({ hostIds: [host.id], stepId: step.id, params: answers }), answers);
  };
  const runChecks = () => check.run(async () => void (await Promise.all(hosts.map(checkHost))));

  const formOf = (host: HostProfile): TrainingForm => {
    const saved = hostProgress(progress, host.id);
    const answers = paramsOf(saved, params);
    const dataset = resultsOf(saved, 'dataset').get('dataset')?.facts?.dataset ?? joinPath(answers.containerWorkDir, DATA_DIR, DEFAULT_DATASET);
    return forms[host.id] ?? initialTrainingForm(resultsOf(saved, step.id).get('script')?.facts, answers, dataset);
  };
  const master = masterAddr ?? hosts[0]?.host ?? 'localhost';
  const perNode = isTraining ? nodeForms(hosts, Object.fromEntries(hosts.map((host) => [host.id, formOf(host)])), master) : {};
  const runs = isTraining ? nodeRuns(hosts, progress, step.id) : [];

  return (
    <StepFrame
      step={step}
      number={number}
      hosts={hosts}
      progress={progress}
      language={language}
      busy={check.busy}
      check={{ label: t('wizard.later.check'), busyLabel: t('wizard.running'), ariaLabel: t('wizard.later.checkLabel', { n: number }) }}
      error={check.error}
      onCheck={() => void runChecks()}
    >
      {isTraining && (
        <TrainingStop
          runs={hosts.filter((host) => resultsOf(hostProgress(progress, host.id), step.id).get('run')?.facts?.state === 'running').map((host) => ({ host, params: paramsOf(hostProgress(progress, host.id), params) }))}
          onStopped={(stopped) => check.run(async () => void (await Promise.all(stopped.map(checkHost))))}
        />
      )}
      {isTraining && hosts.length > 1 && (
        <div className="wizard-params">
          <TextField label={t('wizard.training.masterAddr')} hint={t('wizard.training.masterHint', { count: hosts.length })} value={master} onChange={(event) => setMasterAddr(event.target.value)} />
        </div>
      )}
      <div className="wizard-hosts wizard-hosts--wide">
        {hosts.map((host) => {
          const saved = hostProgress(progress, host.id);
          const form = perNode[host.id];
          return (
            <LaterHost
              key={host.id}
              host={host}
              step={step}
              number={number}
              saved={saved}
              params={paramsOf(saved, params)}
              options={saved.options ?? options}
              outputs={outputs}
              checking={check.busy}
              language={language}
              training={form ? { form, multiNode: hosts.length > 1, onChange: (next) => setForms((current) => ({ ...current, [host.id]: next })) } : null}
              loss={isTraining ? { source: lossSource(runs, host.id), hosts } : null}
              onRecheck={() => void check.run(() => checkHost(host))}
            />
          );
        })}
      </div>
    </StepFrame>
  );
}
