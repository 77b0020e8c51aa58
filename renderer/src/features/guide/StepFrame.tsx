import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { HostCheckResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import type { HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { hostProgress } from './guideProgress';
import type { ActionOutput } from './guideProgress';
import type { GuideStepView } from './wizardState';
import { ErrorLine } from '../../components/ErrorLine';

/** What GuideScreen gives an open step after Step 1 (Step 2 and Steps 3–6 alike). */
export interface OpenStepProps {
  step: GuideStepView;
  /** The step's number in the guide. */
  number: number;
  hosts: readonly HostProfile[];
  progress: WizardProgress;
  outputs: Readonly<Record<string, ActionOutput>>;
  /** Step 1's answers (valid): where a host without answers of its own starts. */
  params: GuideParams;
  options: DockerRunOptions;
  language: Language;
  onChecked(results: readonly HostCheckResult[], params: GuideParams): void;
}

interface StepFrameProps {
  step: GuideStepView;
  /** The step's number in the guide. */
  number: number;
  hosts: readonly HostProfile[];
  progress: WizardProgress;
  language: Language;
  /** The step's checks are running. */
  busy: boolean;
  /** The check button's text (busy and idle) and its accessible name when the text alone is ambiguous. */
  check: { label: string; busyLabel: string; ariaLabel?: string };
  error: string | null;
  onCheck(): void;
  children: ReactNode;
}

/** Where a step stands over all the hosts it was checked on. */
function stepStanding(hosts: readonly HostProfile[], progress: WizardProgress, stepId: string): 'unchecked' | 'passed' | 'failing' {
  const saved = hosts.map((host) => hostProgress(progress, host.id).steps[stepId]);
  if (!saved.some(Boolean)) return 'unchecked';
  const passed = hosts.length > 0 && saved.every((result) => result?.items.every((item) => item.status !== 'fail') === true);
  return passed ? 'passed' : 'failing';
}

/** An open step after Step 1: its number, title and summary, the pill saying where it stands, the check button. */
export function StepFrame({ step, number, hosts, progress, language, busy, check, error, onCheck, children }: StepFrameProps) {
  const { t } = useTranslation();
  const standing = stepStanding(hosts, progress, step.id);
  const pill = busy ? t('wizard.running') : standing === 'unchecked' ? t('guide.notChecked') : standing === 'passed' ? t('wizard.stepPassed') : t('wizard.stepFailing');

  return (
    <li className="guide-step guide-step--open">
      <span className="guide-step__number" aria-hidden="true">
        {number}
      </span>
      <div className="guide-step__text">
        <h2>
          <span className="visually-hidden">{t('guide.stepLabel', { n: number })}: </span>
          {step.title[language]}
        </h2>
        <p>{step.summary[language]}</p>
      </div>
      <span className="status-pill">{pill}</span>
      <div className="wizard-step">
        <div className="wizard-toolbar">
          <button type="button" className="button" disabled={busy || hosts.length === 0} aria-label={check.ariaLabel} onClick={onCheck}>
            {busy ? check.busyLabel : check.label}
          </button>
        </div>
        <ErrorLine error={error} />
        {children}
      </div>
    </li>
  );
}
