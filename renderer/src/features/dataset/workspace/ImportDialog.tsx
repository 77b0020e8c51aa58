import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TEMPLATE_ID } from '../../../../../shared/dataset/templates';
import type { ImportResult, WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { CUSTOM_TEMPLATE, TemplatePicker } from '../conversation/TemplatePicker';
import type { TemplateChoice } from '../conversation/TemplatePicker';
import { Dialog } from '../../../components/Dialog';
import { FormActions } from '../../../components/FormActions';
import { FileBrowser } from '../files/FileBrowser';
import type { BrowseRequest } from '../files/FileBrowser';
import { isJsonName, splitPath } from '../files/paths';
import { PathField } from '../files/PathField';

const FORMATS = ['coco', 'voc', 'yolo', 'labelme'] as const;
type Format = (typeof FORMATS)[number];
type Field = 'input' | 'images' | 'classes' | 'file';

/** What the browser picks as input: COCO is one JSON file; VOC, YOLO and LabelMe usually a folder (a LabelMe file can be typed). */
const INPUT_IS_FOLDER: Record<Format, boolean> = { coco: false, voc: true, yolo: true, labelme: true };
/** Conversion problems listed in the dialog; the rest are counted. */
const PROBLEMS_SHOWN = 50;

interface ImportDialogProps {
  near?: string;
  language: 'en' | 'zh';
  onOpened(info: WorkspaceInfo): void;
  onClose(): void;
}

/** Converts COCO, Pascal VOC, YOLO or LabelMe annotations through a template and opens the result. */
export function ImportDialog({ near, language, onOpened, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const formatId = useId();
  const [format, setFormat] = useState<Format>('coco');
  const [paths, setPaths] = useState<Record<Field, string>>({ input: '', images: '', classes: '', file: '' });
  const [template, setTemplate] = useState<TemplateChoice>({ id: DEFAULT_TEMPLATE_ID, prompt: '' });
  const [browsing, setBrowsing] = useState<{ field: Field; request: BrowseRequest } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);

  const set = (field: Field) => (value: string) => setPaths((old) => ({ ...old, [field]: value }));

  const browse = (field: Field) => {
    const current = paths[field];
    const dir = (current ? splitPath(current).dir : undefined) || near;
    const folder = field === 'images' || (field === 'input' && INPUT_IS_FOLDER[format]);
    const request: BrowseRequest = folder
      ? { mode: 'folder', dir: current || near }
      : field === 'file'
        ? { mode: 'save', dir, name: current ? splitPath(current).name : 'train.json', accept: isJsonName }
        : { mode: 'file', dir, name: current ? splitPath(current).name : '', accept: field === 'classes' ? (name) => /\.(txt|ya?ml|names)$/i.test(name) : isJsonName };
    setBrowsing({ field, request });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!paths.input.trim() || !paths.file.trim()) {
      setError(t('dataset.import.missing'));
      return;
    }
    if (template.id === CUSTOM_TEMPLATE && !template.prompt.trim()) {
      setError(t('dataset.import.noPrompt'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.dataset.import({
        from: format,
        input: paths.input.trim(),
        file: paths.file.trim(),
        ...(paths.images.trim() && { images: paths.images.trim() }),
        ...(format === 'yolo' && paths.classes.trim() && { classes: paths.classes.trim() }),
        ...(template.id === CUSTOM_TEMPLATE ? { prompt: template.prompt } : { template: template.id }),
      });
      setResult(answer);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    // The converted dataset opens when its report is read, not under it.
    const finish = () => {
      if (result.workspace) onOpened(result.workspace);
      onClose();
    };
    return (
      <Dialog title={t('dataset.import.doneTitle')} onClose={finish} className="dialog--form dataset-dialog">
        <p className="dialog__text" role="status">
          {result.workspace ? t('dataset.import.done', { samples: result.samples, images: result.images, boxes: result.boxes }) : t('dataset.import.nothingMade')}
        </p>
        {result.problems.length > 0 && (
          <ul className="dataset-dialog__problems" aria-label={t('dataset.import.problems', { count: result.problems.length })}>
            {result.problems.slice(0, PROBLEMS_SHOWN).map((problem, k) => (
              <li key={k} data-severity={problem.severity}>
                <strong>{t(`dataset.import.severity.${problem.severity}`)}</strong> {problem.file}
                {problem.item && ` · ${problem.item}`}: {problem.message}
              </li>
            ))}
            {result.problems.length > PROBLEMS_SHOWN && <li>{t('dataset.import.more', { count: result.problems.length - PROBLEMS_SHOWN })}</li>}
          </ul>
        )}
        <div className="dialog__actions">
          <button type="button" className="button" data-autofocus onClick={finish}>
            {result.workspace ? t('dataset.import.openIt') : t('dataset.import.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('dataset.import.title')} onClose={onClose} className="dialog--form dataset-dialog">
      {browsing ? (
        <FileBrowser
          {...browsing.request}
          onChoose={(path) => {
            set(browsing.field)(path);
            setBrowsing(null);
          }}
          onCancel={() => setBrowsing(null)}
        />
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)}>
          <div className="field">
            <label className="field__label" htmlFor={formatId}>
              {t('dataset.import.format')}
            </label>
            <select id={formatId} value={format} onChange={(event) => setFormat(event.target.value as Format)}>
              {FORMATS.map((id) => (
                <option key={id} value={id}>
                  {t(`dataset.import.formats.${id}`)}
                </option>
              ))}
            </select>
          </div>
          <PathField label={t('dataset.import.input')} hint={t(`dataset.import.inputHint.${format}`)} value={paths.input} onChange={set('input')} onBrowse={() => browse('input')} required />
          <PathField label={t('dataset.import.images')} hint={t('dataset.import.imagesHint')} value={paths.images} onChange={set('images')} onBrowse={() => browse('images')} />
          {format === 'yolo' && <PathField label={t('dataset.import.classes')} hint={t('dataset.import.classesHint')} value={paths.classes} onChange={set('classes')} onBrowse={() => browse('classes')} />}
          <TemplatePicker value={template} language={language} onChange={setTemplate} />
          <PathField label={t('dataset.import.file')} hint={t('dataset.import.fileHint')} value={paths.file} onChange={set('file')} onBrowse={() => browse('file')} required />
          <FormActions error={error} cancelLabel={t('dataset.import.cancel')} onCancel={onClose}>
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('dataset.import.converting') : t('dataset.import.submit')}
            </button>
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}
