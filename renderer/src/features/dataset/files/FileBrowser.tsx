import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FolderListing } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { Icon } from '../../../components/icons';
import { isImageName, joinPath } from './paths';

export type BrowseMode = 'file' | 'folder' | 'save';

export interface BrowseRequest {
  mode: BrowseMode;
  /** Folder to start in; the home folder when absent. */
  dir?: string;
  /** The file name proposed in `save` mode (or preselected in `file` mode). */
  name?: string;
  /** Which files to list in `file` and `save` mode; folders are always listed. */
  accept?: (name: string) => boolean;
}

interface FileBrowserProps extends BrowseRequest {
  onChoose(path: string): void;
  onCancel(): void;
}

/**
 * Folders and files of the machine running the app (files:list), to choose a dataset, an images
 * folder or where to write; the page never reads files itself. A click opens a folder or picks a
 * file, a double click on a file chooses it, and a path can be typed.
 */
export function FileBrowser({ mode, dir, name: proposed = '', accept, onChoose, onCancel }: FileBrowserProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [asked, setAsked] = useState(dir);
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [typed, setTyped] = useState(dir ?? '');
  const [name, setName] = useState(proposed);
  const [error, setError] = useState<string | null>(null);

  // A listing arriving late must not overwrite a folder the user is typing (or about to type).
  const typedSinceAsked = useRef(false);
  const folderField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let current = true;
    typedSinceAsked.current = false;
    api.files.list(asked === undefined ? {} : { dir: asked }).then(
      (answer) => {
        if (!current) return;
        setListing(answer);
        // The folder field shows where the listing is, unless the user is in it or typed in it meanwhile.
        if (!typedSinceAsked.current && document.activeElement !== folderField.current) setTyped(answer.dir);
        setError(null);
      },
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [api, asked]);

  const go = (event: FormEvent) => {
    event.preventDefault();
    if (typed.trim()) setAsked(typed.trim());
  };

  const files = listing?.entries.filter((entry) => entry.kind === 'file') ?? [];
  const shownFiles = mode === 'folder' ? [] : files.filter((entry) => !accept || accept(entry.name));
  const entries = [...(listing?.entries.filter((entry) => entry.kind === 'dir') ?? []), ...shownFiles];
  const chosen = listing && (mode === 'folder' ? listing.dir : name.trim() ? joinPath(listing.dir, name.trim()) : null);

  return (
    <div className="file-browser">
      <form className="file-browser__path" onSubmit={go}>
        <input
          ref={folderField}
          className="field__input"
          aria-label={t('dataset.files.folder')}
          value={typed}
          onChange={(event) => {
            typedSinceAsked.current = true;
            setTyped(event.target.value);
          }}
          spellCheck={false}
        />
        <button type="submit" className="button button--quiet button--small">
          {t('dataset.files.go')}
        </button>
        <button type="button" className="button button--quiet button--small" disabled={!listing?.parent} onClick={() => listing?.parent && setAsked(listing.parent)}>
          {t('dataset.files.up')}
        </button>
      </form>
      {error && (
        <p className="form__error" role="alert">
          {t('dataset.files.cannotList', { detail: error })}
        </p>
      )}
      <ul className="file-browser__entries" aria-label={t('dataset.files.entries', { folder: listing?.dir ?? '' })} aria-busy={listing === null}>
        {entries.map((entry) => (
          <li key={`${entry.kind}:${entry.name}`}>
            <button
              type="button"
              className="file-browser__entry"
              data-kind={entry.kind}
              aria-pressed={entry.kind === 'file' ? entry.name === name : undefined}
              aria-label={entry.kind === 'dir' ? t('dataset.files.openFolder', { name: entry.name }) : entry.name}
              onClick={() => (entry.kind === 'dir' ? listing && setAsked(joinPath(listing.dir, entry.name)) : setName(entry.name))}
              onDoubleClick={() => entry.kind === 'file' && listing && onChoose(joinPath(listing.dir, entry.name))}
            >
              <Icon name={entry.kind === 'dir' ? 'chevron' : 'dataset'} size={14} />
              <span className="file-browser__name">{entry.name}</span>
              {entry.size !== null && <span className="file-browser__size">{formatSize(entry.size)}</span>}
            </button>
          </li>
        ))}
      </ul>
      {listing && (
        <p className="field__hint">
          {mode === 'folder' ? t('dataset.files.imagesHere', { count: files.filter((entry) => isImageName(entry.name)).length }) : files.length > shownFiles.length ? t('dataset.files.otherFiles', { count: files.length - shownFiles.length }) : null}
          {listing.truncated ? ` ${t('dataset.files.truncated')}` : null}
        </p>
      )}
      {mode !== 'folder' && (
        <label className="field">
          <span className="field__label">{mode === 'save' ? t('dataset.files.saveAs') : t('dataset.files.fileName')}</span>
          <input className="field__input" value={name} onChange={(event) => setName(event.target.value)} spellCheck={false} />
        </label>
      )}
      <div className="dialog__actions">
        <button type="button" className="button button--quiet" onClick={onCancel}>
          {t('dataset.files.back')}
        </button>
        <button type="button" className="button" disabled={!chosen} onClick={() => chosen && onChoose(chosen)}>
          {mode === 'folder' ? t('dataset.files.chooseFolder') : t('dataset.files.choose')}
        </button>
      </div>
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
