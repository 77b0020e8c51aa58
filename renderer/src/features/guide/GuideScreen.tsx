import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { resolveParams } from '../../../../shared/guide/guideParams';
import type { GuideParams, ParamId } from '../../../../shared/guide/guideParams';
import type { GuideView, ItemResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAppStore } from '../../store/appStore';
import { errorText, useAsyncTask } from '../hosts/useAsyncTask';
import { FixDialog } from './FixDialog';
import { HostPicker } from './HostPicker';
import { HostResults } from './HostResults';
import { ParamsForm } from './ParamsForm';
import { connectedHosts, countStatuses, errorsByField, selectedHosts, stepOneGate, togglePick, withRecheck } from './wizardState';
import type { GuideItemView, GuideStepView, HostRun } from './wizardState';
import { ContainerStep } from './ContainerStep';
import { LaterStep } from './LaterStep';
import type { OpenStepProps } from './StepFrame';
import { LATER_STEPS } from './laterSteps';
import { savedRuns } from './guideProgress';
import { useGuideProgress } from './useGuideProgress';
import './guide.css';
import { ErrorLine } from '../../components/ErrorLine';

/** The step this screen shows as a form per host (Step 2); Steps 3–6 as checks with actions per host. */
const CONTAINER_STEP = 'container';
const isLaterStep = (id: string) => (LATER_STEPS as readonly string[]).includes(id);

export function GuideScreen() {
  const api = useApi();
  const { t } = useTranslation();
  const [guide, setGuide] = useState<GuideView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.guide.get().then(
      (view) => live && setGuide(view),
      (failure: unknown) => live && setLoadError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (guide) return <GuideWizard guide={guide} />;
  return (
    <div className="guide-screen">
      <p className={loadError ? 'form__error' : 'wizard-muted'} role={loadError ? 'alert' : 'status'}>
        {loadError ? t('wizard.loadFailed', { message: loadError }) : t('wizard.loading')}
      </p>
    </div>
  );
}

interface FixTarget {
  host: HostProfile;
  item: GuideItemView;
}

function GuideWizard({ guide }: { guide: GuideView }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const connected = useAppStore(useShallow((state) => connectedHosts(state.hostProfiles, state.hostStatuses)));
  const [picked, setPicked] = useState<HostId[] | null>(null);
  const [answers, setAnswers] = useState<GuideParams>(guide.defaults);
  const [checkedRuns, setRuns] = useState<Readonly<Record<HostId, HostRun>>>({});
  const { progress, loadError: progressError, outputs, checked: progressChecked } = useGuideProgress();
  const [override, setOverride] = useState(false);
  const [fixTarget, setFixTarget] = useState<FixTarget | null>(null);
  const check = useAsyncTask();

  const [stepOne, ...laterSteps] = guide.steps;
  // What this window checked wins over what was saved before it opened (a restart, a reload).
  const runs = progress && stepOne ? { ...savedRuns(progress, stepOne.id, guide.defaults), ...checkedRuns } : checkedRuns;
  const selected = selectedHosts(connected, picked);
  const resolved = resolveParams(guide.defaults, answers);
  const fieldErrors = resolved.ok ? {} : errorsByField(resolved.errors);
  const gate = stepOneGate(
    selected.map((host) => host.id),
    runs,
  );
  const locked = gate !== 'open' && !override;
  const checked = selected.some((host) => runs[host.id]);
  if (!stepOne) return null;

  const runChecks = () =>
    check.run(async () => {
      if (!resolved.ok) return;
      const { params } = resolved;
      const results = await api.guide.check({ hostIds: selected.map((host) => host.id), stepId: stepOne.id, params });
      setRuns((previous) => ({ ...previous, ...Object.fromEntries(results.map((result) => [result.hostId, { result, params }])) }));
      progressChecked(stepOne.id, results, params);
    });

  const recheckArrived = (hostId: HostId, item: ItemResult) =>
    setRuns((previous) => {
      const run = previous[hostId] ?? runs[hostId];
      return run ? { ...previous, [hostId]: withRecheck(run, item) } : previous;
    });

  const stepPill = check.busy ? t('wizard.running') : !checked ? t('guide.notChecked') : gate === 'open' ? t('wizard.stepPassed') : t('wizard.stepFailing');
  const fixRun = fixTarget ? runs[fixTarget.host.id] : undefined;
  const openStepProps = (step: GuideStepView, index: number, saved: WizardProgress): OpenStepProps => ({
    step,
    number: index + 2,
    hosts: selected,
    progress: saved,
    outputs,
    params: resolved.ok ? resolved.params : guide.defaults,
    options: guide.dockerRun,
    language,
    onChecked: (results, params) => progressChecked(step.id, results, params),
  });

  return (
    <div className="guide-screen guide-screen--wizard">
      <header className="screen-header">
        <h1>{guide.title[language]}</h1>
      </header>
      <ol className="guide-steps" aria-label={t('guide.steps')}>
        <li className="guide-step guide-step--open">
          <span className="guide-step__number" aria-hidden="true">
            1
          </span>
          <div className="guide-step__text">
            <h2>
              <span className="visually-hidden">{t('guide.stepLabel', { n: 1 })}: </span>
              {stepOne.title[language]}
            </h2>
            <p>{stepOne.summary[language]}</p>
          </div>
          <span className="status-pill">{stepPill}</span>
          <div className="wizard-step">
            <HostPicker connected={connected} selected={selected} onToggle={(id) => setPicked(togglePick(picked, connected, id))} />
            <ParamsForm answers={answers} errors={fieldErrors} language={language} onChange={(id: ParamId, value) => setAnswers({ ...answers, [id]: value })} />
            <div className="wizard-toolbar">
              <button type="button" className="button" disabled={check.busy || selected.length === 0 || !resolved.ok} onClick={() => void runChecks()}>
                {check.busy ? t('wizard.running') : checked ? t('wizard.runAgain') : t('wizard.run')}
              </button>
              <ul className="wizard-counts" aria-label={t('wizard.countsLabel')}>
                {selected.map((host) => {
                  const run = runs[host.id];
                  if (!run || check.busy) return null;
                  const counts = countStatuses(run.result.items);
                  return (
                    <li key={host.id}>
                      <strong>{host.name}</strong>{' '}
                      {run.result.error
                        ? t('wizard.unreachable')
                        : [t('wizard.passed', { count: counts.pass }), t('wizard.warnings', { count: counts.warn }), t('wizard.failed', { count: counts.fail })].join(' · ')}
                    </li>
                  );
                })}
              </ul>
            </div>
            <ErrorLine error={check.error} />
            {!resolved.ok && <p className="wizard-muted">{t('wizard.paramsInvalid')}</p>}
            {selected.length > 0 && (
              <div className="wizard-hosts">
                {selected.map((host) => (
                  <HostResults key={host.id} host={host} items={stepOne.items} run={runs[host.id]} busy={check.busy} language={language} onFix={(target, item) => setFixTarget({ host: target, item })} />
                ))}
              </div>
            )}
            {gate !== 'open' && (
              <div className="wizard-gate">
                <p>{override ? t('wizard.overridden') : t('wizard.lockedHint')}</p>
                {!override && (
                  <button type="button" className="button button--quiet" onClick={() => setOverride(true)}>
                    {t('wizard.continueAnyway')}
                  </button>
                )}
              </div>
            )}
          </div>
        </li>
        {laterSteps.map((step, index) =>
          step.id === CONTAINER_STEP && !locked && progress ? (
            <ContainerStep key={step.id} {...openStepProps(step, index, progress)} />
          ) : isLaterStep(step.id) && step.items.length > 0 && !locked && progress ? (
            <LaterStep key={step.id} {...openStepProps(step, index, progress)} />
          ) : (
            <li key={step.id} className={locked ? 'guide-step guide-step--locked' : 'guide-step'}>
              <span className="guide-step__number" aria-hidden="true">
                {index + 2}
              </span>
              <div className="guide-step__text">
                <h2>
                  <span className="visually-hidden">{t('guide.stepLabel', { n: index + 2 })}: </span>
                  {step.title[language]}
                </h2>
                <p>{step.summary[language]}</p>
              </div>
              <span className="status-pill">{locked ? t('wizard.locked') : t('guide.notChecked')}</span>
              {step.id === CONTAINER_STEP && !locked && !progress && (
                <p className={progressError ? 'form__error wizard-step' : 'wizard-muted wizard-step'} role={progressError ? 'alert' : 'status'}>
                  {progressError ? t('wizard.container.loadFailed', { message: progressError }) : t('wizard.container.loading')}
                </p>
              )}
            </li>
          ),
        )}
      </ol>
      {fixTarget && fixRun && (
        <FixDialog
          host={fixTarget.host}
          stepId={stepOne.id}
          item={fixTarget.item}
          params={fixRun.params}
          language={language}
          onRechecked={(item) => recheckArrived(fixTarget.host.id, item)}
          onClose={() => setFixTarget(null)}
        />
      )}
    </div>
  );
}
