import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DockerRunOptions } from '../../../../shared/guide/dockerRunForm';
import type { GuideParams } from '../../../../shared/guide/guideParams';
import type { HostCheckResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import type { Language } from '../../../../shared/settings/settings';
import { useApi } from '../../api/ApiContext';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { initialAnswers, usableAnswers } from './containerForm';
import type { ContainerAnswers } from './containerForm';
import { ContainerHost } from './ContainerHost';
import { hostProgress } from './guideProgress';
import type { ActionOutput } from './guideProgress';
import { StepFrame } from './StepFrame';
import type { GuideStepView } from './wizardState';

interface ContainerStepProps {
  step: GuideStepView;
  /** The step's number in the guide. */
  number: number;
  hosts: readonly HostProfile[];
  progress: WizardProgress;
  outputs: Readonly<Record<string, ActionOutput>>;
  /** Step 1's answers (valid) and the guide's container options: where a host without its own starts. */
  params: GuideParams;
  options: DockerRunOptions;
  language: Language;
  onChecked(results: readonly HostCheckResult[], params: GuideParams): void;
}

/** Step 2, "启动镜像": per host, the image (present or pulled), the container started from the form, and its verification. */
export function ContainerStep({ step, number, hosts, progress, outputs, params, options, language, onChecked }: ContainerStepProps) {
  const api = useApi();
  const { t } = useTranslation();
  const check = useAsyncTask();
  const [edited, setEdited] = useState<Readonly<Record<HostId, ContainerAnswers>>>({});
  const fallback = { params, options };
  const answersOf = (hostId: HostId) => edited[hostId] ?? initialAnswers(hostProgress(progress, hostId), params, options);

  // Each host is checked with its own answers: names and cards differ from server to server.
  const runChecks = () =>
    check.run(async () => {
      await Promise.all(
        hosts.map(async (host) => {
          const answers = usableAnswers(answersOf(host.id), fallback);
          onChecked(await api.guide.check({ hostIds: [host.id], stepId: step.id, params: answers.params }), answers.params);
        }),
      );
    });

  return (
    <StepFrame
      step={step}
      number={number}
      hosts={hosts}
      progress={progress}
      language={language}
      busy={check.busy}
      check={{ label: t('wizard.container.check'), busyLabel: t('wizard.container.checking') }}
      error={check.error}
      onCheck={() => void runChecks()}
    >
      <div className="wizard-hosts wizard-hosts--wide">
        {hosts.map((host) => (
          <ContainerHost
            key={host.id}
            host={host}
            step={step}
            saved={hostProgress(progress, host.id)}
            answers={answersOf(host.id)}
            fallback={fallback}
            outputs={outputs}
            checking={check.busy}
            language={language}
            onAnswers={(answers) => setEdited((current) => ({ ...current, [host.id]: answers }))}
          />
        ))}
      </div>
    </StepFrame>
  );
}
