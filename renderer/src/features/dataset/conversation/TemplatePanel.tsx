import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SampleTemplate } from '../../../../../shared/dataset/templates';
import { customTemplate, DEFAULT_TEMPLATE_ID, findTemplate } from '../../../../../shared/dataset/templates';
import { useApi } from '../../../api/ApiContext';
import type { SizeOf } from '../workspace/canvasSync';
import type { SampleSession } from '../workspace/sampleSession';
import { applyTemplateToAll } from './templateAll';
import { applyTemplate } from './templateApply';
import { CUSTOM_TEMPLATE, TemplatePicker } from './TemplatePicker';
import type { TemplateChoice } from './TemplatePicker';

interface TemplatePanelProps {
  session: SampleSession;
  workspaceId: string;
  language: 'en' | 'zh';
  readOnly: boolean;
  sizeOf: SizeOf;
  /** Something to tell the user (announced in the screen's status line). */
  onNotice(message: string): void;
}

/** Rewrites the conversation from the boxes with a template: this sample, or every sample with boxes. */
export function TemplatePanel({ session, workspaceId, language, readOnly, sizeOf, onNotice }: TemplatePanelProps) {
  const { t } = useTranslation();
  const api = useApi();
  const titleId = useId();
  const [choice, setChoice] = useState<TemplateChoice>({ id: DEFAULT_TEMPLATE_ID, prompt: '' });
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const template = (): SampleTemplate | null => {
    if (choice.id !== CUSTOM_TEMPLATE) return findTemplate(choice.id) ?? null;
    const made = customTemplate(choice.prompt);
    if ('error' in made) {
      onNotice(t('dataset.templates.badPrompt'));
      return null;
    }
    return made;
  };

  const applyHere = () => {
    const chosen = template();
    const { sample } = session.getSnapshot();
    if (!chosen || !sample) return;
    const outcome = applyTemplate(sample, chosen, sizeOf);
    if (!outcome.ok) {
      onNotice(t(`dataset.templates.failed.${outcome.reason}`));
      return;
    }
    session.edit(outcome.sample, 'command');
    onNotice(outcome.unlabeled > 0 ? t('dataset.templates.appliedUnlabeled', { count: outcome.boxes, unlabeled: outcome.unlabeled }) : t('dataset.templates.applied', { count: outcome.boxes }));
  };

  const applyEverywhere = async () => {
    setConfirming(false);
    const chosen = template();
    if (!chosen) return;
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ done: 0, total: 0 });
    try {
      // The shown sample's own edits go first, so the template does not overwrite them later.
      await session.flush();
      const result = await applyTemplateToAll(api.dataset, workspaceId, chosen, controller.signal, (done, total) => setProgress({ done, total }));
      onNotice(t(result.cancelled ? 'dataset.templates.allCancelled' : 'dataset.templates.allDone', { changed: result.changed, skipped: result.skipped }));
      await session.reload();
    } catch (failure) {
      onNotice(t('dataset.templates.allFailed', { detail: failure instanceof Error ? failure.message : String(failure) }));
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  return (
    <section className="template-panel" aria-labelledby={titleId}>
      <h3 id={titleId} className="dataset-panel__title">
        {t('dataset.templates.title')}
      </h3>
      <TemplatePicker value={choice} language={language} hideLabel onChange={setChoice} />
      {progress ? (
        <div className="template-panel__row" role="status">
          <progress max={progress.total || 1} value={progress.done} aria-label={t('dataset.templates.progress')} />
          <span>{t('dataset.templates.progressText', { done: progress.done, total: progress.total })}</span>
          <button type="button" className="button button--quiet button--small" onClick={() => abort.current?.abort()}>
            {t('dataset.templates.stop')}
          </button>
        </div>
      ) : confirming ? (
        <div className="template-panel__row" role="alert">
          <span>{t('dataset.templates.confirm')}</span>
          <button type="button" className="button button--small" onClick={() => void applyEverywhere()}>
            {t('dataset.templates.confirmYes')}
          </button>
          <button type="button" className="button button--quiet button--small" onClick={() => setConfirming(false)}>
            {t('dataset.templates.confirmNo')}
          </button>
        </div>
      ) : (
        <div className="template-panel__row">
          <button type="button" className="button button--small" disabled={readOnly} onClick={applyHere}>
            {t('dataset.templates.applyHere')}
          </button>
          <button type="button" className="button button--quiet button--small" disabled={readOnly} onClick={() => setConfirming(true)}>
            {t('dataset.templates.applyAll')}
          </button>
        </div>
      )}
    </section>
  );
}
