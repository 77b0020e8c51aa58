import { memo, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EditableSample } from '../../../../../shared/dataset/sampleModel';
import type { SampleSession } from '../workspace/sampleSession';
import { samplePreview } from './samplePreview';

/**
 * The sample's record exactly as the saved dataset file will hold it. Written straight into the DOM from the
 * session's synchronous notifications, not through React: a box being dragged shows up here in
 * the same frame.
 */
export const JsonPreview = memo(function JsonPreview({ session }: { session: SampleSession }) {
  const { t } = useTranslation();
  const titleId = useId();
  const pre = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let written: EditableSample | null = null;
    const write = () => {
      const { sample, record } = session.getSnapshot();
      if (sample === written || !pre.current) return;
      written = sample;
      pre.current.textContent = sample && record ? samplePreview(sample, record) : '';
    };
    write();
    return session.subscribe(write);
  }, [session]);

  const copy = () => {
    const text = pre.current?.textContent ?? '';
    void navigator.clipboard.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };

  return (
    <section className="json-preview" aria-labelledby={titleId}>
      <div className="json-preview__head">
        <h3 id={titleId} className="dataset-panel__title">
          {t('dataset.preview.title')}
        </h3>
        <button type="button" className="button button--quiet button--small" onClick={copy}>
          {copied ? t('dataset.preview.copied') : t('dataset.preview.copy')}
        </button>
      </div>
      <pre ref={pre} className="json-preview__text" tabIndex={0} aria-label={t('dataset.preview.label')} />
    </section>
  );
});
