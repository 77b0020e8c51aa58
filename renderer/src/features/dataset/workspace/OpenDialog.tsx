import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { Dialog } from '../../../components/Dialog';
import { FormActions } from '../../../components/FormActions';
import { FileBrowser } from '../files/FileBrowser';
import type { BrowseRequest } from '../files/FileBrowser';
import { isJsonName, splitPath } from '../files/paths';
import { PathField } from '../files/PathField';

type Field = 'file' | 'images';

interface OpenDialogProps {
  /** Where browsing starts (the open dataset's folder). */
  near?: string;
  onOpened(info: WorkspaceInfo): void;
  onClose(): void;
}

/**
 * Opens a dataset JSON, a folder of images, or both: each image no sample uses yet becomes a new
 * sample, and a file that does not exist yet is created on the first save.
 */
export function OpenDialog({ near, onOpened, onClose }: OpenDialogProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [file, setFile] = useState('');
  const [images, setImages] = useState('');
  const [browsing, setBrowsing] = useState<{ field: Field; request: BrowseRequest } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file.trim() && !images.trim()) {
      setError(t('dataset.open.nothing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onOpened(await api.dataset.open({ ...(file.trim() && { file: file.trim() }), ...(images.trim() && { images: images.trim() }) }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  const browse = (field: Field) => {
    const current = field === 'file' ? file : images;
    const start = current ? (field === 'file' ? splitPath(current).dir : current) : (near ?? (field === 'file' && images ? images : undefined));
    setBrowsing({ field, request: field === 'file' ? { mode: 'save', dir: start || undefined, name: current ? splitPath(current).name : '', accept: isJsonName } : { mode: 'folder', dir: start } });
  };

  return (
    <Dialog title={browsing ? (browsing.field === 'file' ? t('dataset.open.chooseFile') : t('dataset.open.chooseImages')) : t('dataset.open.title')} onClose={onClose} className="dialog--form dataset-dialog">
      {browsing ? (
        <FileBrowser
          {...browsing.request}
          onChoose={(path) => {
            if (browsing.field === 'file') setFile(path);
            else setImages(path);
            setBrowsing(null);
          }}
          onCancel={() => setBrowsing(null)}
        />
      ) : (
        <form className="form" onSubmit={(event) => void submit(event)}>
          <p className="dialog__text dialog__text--muted">{t('dataset.open.intro')}</p>
          <PathField label={t('dataset.open.file')} hint={t('dataset.open.fileHint')} value={file} onChange={setFile} onBrowse={() => browse('file')} />
          <PathField label={t('dataset.open.images')} hint={t('dataset.open.imagesHint')} value={images} onChange={setImages} onBrowse={() => browse('images')} />
          <FormActions error={error} cancelLabel={t('dataset.open.cancel')} onCancel={onClose}>
            <button type="submit" className="button" disabled={busy} data-autofocus>
              {busy ? t('dataset.open.opening') : t('dataset.open.submit')}
            </button>
          </FormActions>
        </form>
      )}
    </Dialog>
  );
}
