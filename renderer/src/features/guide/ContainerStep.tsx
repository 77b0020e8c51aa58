import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { initialAnswers, usableAnswers } from './containerForm';
import type { ContainerAnswers } from './containerForm';
import { ContainerHost } from './ContainerHost';
import { hostProgress } from './guideProgress';
import { StepFrame } from './StepFrame';
import type { OpenStepProps } from './StepFrame';

/** Step 2, "启动镜像": per host, the image (present or pulled), the container started from the form, and its verification. */
export function ContainerStep({ step, number, hosts, progress, outputs, params, options, language, onChecked }: OpenStepProps) {
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
