import { useEffect, useId, useRef } from 'react';
import type { FormEvent, ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { PromptAnswer, PromptRequest } from '../../../../shared/hosts/prompts';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { TextField } from '../../components/TextField';
import { useAppStore } from '../../store/appStore';
import { selectCurrentPrompt, selectHostName, selectQueuedPromptCount } from '../../store/selectors/hostsSelectors';
import { formatKnownHost } from './hostDisplay';
import { useAsyncTask } from './useAsyncTask';
import { ErrorLine } from '../../components/ErrorLine';

type Answer = PromptAnswer['answer'];
type PromptOf<K extends PromptRequest['kind']> = Extract<PromptRequest, { kind: K }>;

/** The login questions of every connection, one at a time, oldest first. */
export function PromptDialog() {
  const prompt = useAppStore(selectCurrentPrompt);
  // A fresh component per question, so nothing typed for one can leak into the next.
  return prompt ? <PromptView key={prompt.promptId} prompt={prompt} /> : null;
}

function PromptView({ prompt }: { prompt: PromptRequest }) {
  const { t } = useTranslation();
  const api = useApi();
  const hostName = useAppStore(selectHostName(prompt.hostId));
  const queued = useAppStore(selectQueuedPromptCount);
  const promptSettled = useAppStore((state) => state.promptSettled);
  const task = useAsyncTask();

  const answer = (value: Answer) =>
    task.run(async () => {
      // false: another window answered first, or the attempt ended; either way this one is done.
      await api.hosts.answerPrompt({ promptId: prompt.promptId, answer: value });
      promptSettled(prompt.promptId);
    });
  // The dialog is already closed by then, so a failed cancel has nowhere to be shown.
  const cancel = () => {
    api.hosts
      .answerPrompt({ promptId: prompt.promptId, answer: null })
      .catch(() => undefined)
      .finally(() => promptSettled(prompt.promptId));
  };

  const titles: Record<PromptRequest['kind'], string> = {
    'host-key': t('prompts.hostKey.title', { name: hostName }),
    password: t('prompts.password.title', { name: hostName }),
    passphrase: t('prompts.passphrase.title', { name: hostName }),
    'keyboard-interactive': t('prompts.keyboard.title', { name: hostName }),
  };
  const footer = (
    <>
      <ErrorLine error={task.error} />
      {queued > 0 && <p className="dialog__text dialog__text--muted">{t('prompts.queued', { count: queued })}</p>}
    </>
  );

  return (
    <Dialog title={titles[prompt.kind]} onClose={cancel} className="dialog--form">
      {prompt.kind === 'host-key' && <HostKeyQuestion prompt={prompt} busy={task.busy} onAnswer={answer} onCancel={cancel} footer={footer} />}
      {(prompt.kind === 'password' || prompt.kind === 'passphrase') && <SecretQuestion prompt={prompt} busy={task.busy} onAnswer={answer} onCancel={cancel} footer={footer} />}
      {prompt.kind === 'keyboard-interactive' && <KeyboardInteractiveQuestion prompt={prompt} busy={task.busy} onAnswer={answer} onCancel={cancel} footer={footer} />}
    </Dialog>
  );
}

interface QuestionProps<P extends PromptRequest> {
  prompt: P;
  busy: boolean;
  onAnswer(answer: Answer): void;
  onCancel(): void;
  footer: ReactNode;
}

function HostKeyQuestion({ prompt, busy, onAnswer, onCancel, footer }: QuestionProps<PromptOf<'host-key'>>) {
  const { t } = useTranslation();
  return (
    <>
      <p className="dialog__text">{t('prompts.hostKey.intro', { host: formatKnownHost(prompt.host, prompt.port) })}</p>
      <p className="dialog__text">{t('prompts.hostKey.fingerprint', { keyType: prompt.keyType })}</p>
      <pre className="fingerprint">{prompt.fingerprint}</pre>
      {prompt.otherKeyTypes.length > 0 && (
        <p className="notice notice--warn" role="note">
          {t('prompts.hostKey.otherKeyTypes', { types: prompt.otherKeyTypes.join(', ') })}
        </p>
      )}
      <p className="dialog__text dialog__text--muted">{t('prompts.hostKey.advice')}</p>
      {footer}
      <div className="dialog__actions">
        {/* Trusting a key is the one answer that cannot be taken back: it is never the default. */}
        <button type="button" className="button button--quiet" onClick={onCancel} data-autofocus>
          {t('prompts.cancel')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => onAnswer({ accept: true })}>
          {t('prompts.hostKey.trust')}
        </button>
      </div>
    </>
  );
}

/**
 * Inputs are uncontrolled: a secret is read from the form once, on submit, and never held in
 * React state or the store; the form is emptied when the dialog goes away.
 */
function useSecretForm(): { form: RefObject<HTMLFormElement | null>; read(event: FormEvent<HTMLFormElement>): FormData } {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const element = form.current;
    return () => element?.reset();
  }, []);
  return {
    form,
    read: (event) => {
      event.preventDefault();
      return new FormData(event.currentTarget);
    },
  };
}

function SecretQuestion({ prompt, busy, onAnswer, onCancel, footer }: QuestionProps<PromptOf<'password' | 'passphrase'>>) {
  const { t } = useTranslation();
  const { form, read } = useSecretForm();
  const reasonId = useId();
  const label = prompt.kind === 'password' ? t('prompts.password.label', { user: prompt.user, host: prompt.host }) : t('prompts.passphrase.label', { path: prompt.keyPath });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    const data = read(event);
    onAnswer({ secret: String(data.get('secret') ?? ''), remember: data.get('remember') === 'on' });
  };
  return (
    <form ref={form} className="form" onSubmit={submit}>
      {prompt.kind === 'passphrase' && prompt.retry && (
        <p className="form__error" role="alert">
          {t('prompts.passphrase.wrong')}
        </p>
      )}
      <TextField label={label} type="password" name="secret" autoComplete="off" data-autofocus />
      <label className="checkbox">
        <input type="checkbox" name="remember" disabled={!prompt.canRemember} aria-describedby={prompt.rememberUnavailableReason ? reasonId : undefined} />
        {t('prompts.remember')}
      </label>
      {!prompt.canRemember && prompt.rememberUnavailableReason && (
        <p id={reasonId} className="field__hint">
          {prompt.rememberUnavailableReason}
        </p>
      )}
      {footer}
      <QuestionActions busy={busy} onCancel={onCancel} submitLabel={t('prompts.submit')} />
    </form>
  );
}

function KeyboardInteractiveQuestion({ prompt, busy, onAnswer, onCancel, footer }: QuestionProps<PromptOf<'keyboard-interactive'>>) {
  const { t } = useTranslation();
  const { form, read } = useSecretForm();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    const data = read(event);
    onAnswer({ responses: prompt.prompts.map((_, index) => String(data.get(`response-${index}`) ?? '')) });
  };
  return (
    <form ref={form} className="form" onSubmit={submit}>
      {prompt.name && <p className="prompt__server-name">{prompt.name}</p>}
      {prompt.instructions && <p className="prompt__instructions">{prompt.instructions}</p>}
      {prompt.prompts.length === 0 && <p className="dialog__text">{t('prompts.keyboard.nothingAsked')}</p>}
      {prompt.prompts.map((question, index) => (
        <TextField
          key={index}
          label={question.prompt.trim() || t('prompts.keyboard.answer', { n: index + 1 })}
          type={question.echo ? 'text' : 'password'}
          name={`response-${index}`}
          autoComplete="off"
          data-autofocus={index === 0 ? true : undefined}
        />
      ))}
      {footer}
      <QuestionActions busy={busy} onCancel={onCancel} submitLabel={prompt.prompts.length ? t('prompts.submit') : t('prompts.continue')} />
    </form>
  );
}

function QuestionActions({ busy, onCancel, submitLabel }: { busy: boolean; onCancel(): void; submitLabel: string }) {
  const { t } = useTranslation();
  return (
    <div className="dialog__actions">
      <button type="button" className="button button--quiet" onClick={onCancel}>
        {t('prompts.cancel')}
      </button>
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </div>
  );
}
