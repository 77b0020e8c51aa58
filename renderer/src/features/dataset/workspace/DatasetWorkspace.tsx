import { memo, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetProblem } from '../../../../../shared/dataset/datasetProblems';
import { renameLabel, setReviewed } from '../../../../../shared/dataset/sampleEdits';
import { conversationOf } from '../../../../../shared/dataset/sampleModel';
import type { SampleFilter, ValidationReport, WorkspaceInfo } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { Dialog } from '../../../components/Dialog';
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/icons';
import { useAppStore } from '../../../store/appStore';
import { isMac, matchDatasetShortcut } from '../../shell/shortcuts';
import { BoxCanvas } from '../BoxCanvas';
import type { BoxCanvasController } from '../canvas/boxCanvasController';
import { labelsWithColors } from '../canvas/labelPalette';
import { ConversationEditor } from '../conversation/ConversationEditor';
import type { JumpTarget } from '../conversation/ConversationEditor';
import { JsonPreview } from '../conversation/JsonPreview';
import { addPicture } from '../conversation/sampleText';
import { TemplatePanel } from '../conversation/TemplatePanel';
import { FileBrowser } from '../files/FileBrowser';
import { isImageName, isJsonName, relativeTo, splitPath } from '../files/paths';
import { LabelList } from '../LabelList';
import { firstAbove } from '../sampleList/listWindow';
import { SampleFilters } from '../sampleList/SampleFilters';
import { SampleList } from '../sampleList/SampleList';
import type { SampleListHandle } from '../sampleList/SampleList';
import { ProblemList } from '../problems/ProblemList';
import { CanvasBinding } from './canvasBinding';
import type { ShownPicture } from './canvasBinding';
import { ExportDialog } from './ExportDialog';
import { ImageCache } from './imageCache';
import { ImportDialog } from './ImportDialog';
import { OpenDialog } from './OpenDialog';
import { RenameLabelDialog } from './RenameLabelDialog';
import { SampleSession } from './sampleSession';
import { makeUprightCopy } from './uprightCopy';
import { WorkspaceBar } from './WorkspaceBar';
import type { WorkspaceDialog } from './WorkspaceBar';

/** Problems of a whole-dataset check listed at once; the list filter finds the others. */
const REPORT_SHOWN = 300;

const NO_SUBSCRIPTION = () => () => undefined;
/** The canvas re-renders only when its labels change, not with every edit of the sample. */
const StableBoxCanvas = memo(BoxCanvas);
const NOT_SHOWN: ShownPicture = { key: '', path: null, status: 'none', error: null };

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The dataset builder with a workspace open: sample list | picture and labels | conversation,
 * templates, JSON preview and problems. Heavy parts (list, canvas, preview) are controllers fed
 * from the SampleSession; React holds which sample, which filter, and the dialogs.
 */
export function DatasetWorkspace({ workspace }: { workspace: WorkspaceInfo }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'zh' ? 'zh' : 'en';
  const api = useApi();
  const id = workspace.id;
  const index = useAppStore((state) => state.datasetIndex);
  const filter = useAppStore((state) => state.datasetFilter);
  const sampleSelected = useAppStore((state) => state.datasetSampleSelected);
  const filterChanged = useAppStore((state) => state.datasetFilterChanged);
  const workspaceOpened = useAppStore((state) => state.datasetWorkspaceOpened);
  const workspaceChanged = useAppStore((state) => state.datasetWorkspaceChanged);
  const workspaceClosed = useAppStore((state) => state.datasetWorkspaceClosed);

  // The component is keyed by the workspace id: these live exactly as long as the workspace is shown.
  const [session] = useState(() => new SampleSession(api.dataset, id));
  const [images] = useState(() => new ImageCache((path) => api.dataset.image({ id, path })));
  useEffect(
    () => () => {
      void session.flush();
      images.clear();
    },
    [session, images],
  );
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);
  useEffect(() => {
    if (index !== null) void session.load(index);
  }, [session, index]);

  const [controller, setController] = useState<BoxCanvasController | null>(null);
  const [binding, setBinding] = useState<CanvasBinding | null>(null);
  const bindingRef = useRef<CanvasBinding | null>(null);
  // Called from the canvas's mount and unmount, so the binding lives exactly as long as the canvas.
  const onController = useCallback(
    (mounted: BoxCanvasController | null) => {
      bindingRef.current?.dispose();
      bindingRef.current = mounted ? new CanvasBinding(mounted, session, images) : null;
      setBinding(bindingRef.current);
      setController(mounted);
    },
    [session, images],
  );
  const shown = useSyncExternalStore(binding ? binding.onShown : NO_SUBSCRIPTION, () => binding?.getShown() ?? NOT_SHOWN);
  const subscribeCanvas = useMemo(() => (controller ? (notify: () => void) => controller.onStateChange(notify) : NO_SUBSCRIPTION), [controller]);
  const currentLabel = useSyncExternalStore(subscribeCanvas, () => controller?.getState().currentLabel ?? null);

  const listHandle = useRef<SampleListHandle | null>(null);
  useEffect(() => session.onRow((row) => listHandle.current?.updateRow(row)), [session]);
  const [listCount, setListCount] = useState<number | null>(null);
  /** Bumped when many samples changed at once (a label renamed everywhere): the list is fetched again. */
  const [listRevision, setListRevision] = useState(0);

  // Label order is the digit keys' order: it only grows, so a key keeps its label while working.
  const [labelNames, setLabelNames] = useState<string[]>(() => workspace.labels.map((entry) => entry.label));
  const newLabels = workspace.labels.map((entry) => entry.label).filter((name) => !labelNames.includes(name));
  if (newLabels.length > 0) setLabelNames([...labelNames, ...newLabels]);
  const labels = useMemo(() => labelsWithColors(labelNames), [labelNames]);

  const [dialog, setDialog] = useState<WorkspaceDialog | 'picture' | null>(null);
  const [notice, setNotice] = useState('');
  const [jump, setJump] = useState<JumpTarget | null>(null);
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [renaming, setRenaming] = useState<{ from: string; to: string } | null>(null);
  /** The last rename done in every sample, while it can be undone. */
  const [undoableRename, setUndoableRename] = useState<string | null>(null);
  const [validating, setValidating] = useState(false);

  const go = useCallback(
    (step: 1 | -1) => {
      const current = useAppStore.getState().datasetIndex;
      const next = current === null ? undefined : listHandle.current?.neighbour(current, step);
      if (next !== undefined) sampleSelected(next);
    },
    [sampleSelected],
  );

  const toggleReviewed = useCallback(() => {
    const { sample } = session.getSnapshot();
    if (sample && !workspace.readOnly) session.edit(setReviewed(sample, !sample.reviewed), 'command');
  }, [session, workspace.readOnly]);

  const nextUnreviewed = useCallback(async () => {
    try {
      // The flag just set must be in the main process before it lists what is left.
      await session.flush();
      const { indices } = await api.dataset.list({ id, filter: { reviewed: false } });
      const current = useAppStore.getState().datasetIndex ?? -1;
      const next = indices[firstAbove(indices, current)] ?? indices[0];
      if (next === undefined) setNotice(t('dataset.review.allDone'));
      else sampleSelected(next);
    } catch (failure) {
      setNotice(messageOf(failure));
    }
  }, [api, id, session, sampleSelected, t]);

  const save = useCallback(
    async (overwrite: boolean) => {
      try {
        await session.flush();
        workspaceChanged(await api.dataset.save({ id, ...(overwrite && { overwrite }) }));
      } catch (failure) {
        setNotice(t('dataset.save.error', { detail: messageOf(failure) }));
      }
    },
    [api, id, session, workspaceChanged, t],
  );

  useEffect(
    () =>
      controller?.onIntent((intent) => {
        if (intent === 'previousImage') go(-1);
        else if (intent === 'nextImage') go(1);
        else if (intent === 'markReviewed') toggleReviewed();
      }),
    [controller, go, toggleReviewed],
  );

  const onKeyDown = (event: ReactKeyboardEvent) => {
    if (event.defaultPrevented) return;
    const shortcut = matchDatasetShortcut(event.nativeEvent, isMac(navigator.platform), isTextField(event.target));
    if (!shortcut) return;
    event.preventDefault();
    if (shortcut.action === 'save') void save(false);
    else if (shortcut.action === 'nextSample') go(1);
    else if (shortcut.action === 'previousSample') go(-1);
    else void nextUnreviewed();
  };

  const jumpTo = (problem: DatasetProblem) => {
    if (problem.sample === null) return;
    setJump({ sample: problem.sample, turn: problem.turn, offset: problem.offset, length: problem.length, nonce: Date.now() });
    if (problem.sample !== useAppStore.getState().datasetIndex) sampleSelected(problem.sample);
  };

  /** Save as: the workspace goes on in the new file (the way out of a read-only or conflicting one). */
  const saveAs = async (file: string) => {
    setDialog(null);
    try {
      await session.flush();
      workspaceChanged(await api.dataset.save({ id, file }));
    } catch (failure) {
      setNotice(t('dataset.save.error', { detail: messageOf(failure) }));
    }
  };

  const validate = useCallback(async () => {
    setValidating(true);
    try {
      await session.flush();
      setReport(await api.dataset.validate({ id }));
    } catch (failure) {
      setNotice(messageOf(failure));
    } finally {
      setValidating(false);
    }
  }, [api, id, session]);

  const close = useCallback(async () => {
    try {
      await session.flush();
      await api.dataset.close({ id });
      workspaceClosed();
    } catch (failure) {
      setNotice(messageOf(failure));
    }
  }, [api, id, session, workspaceClosed]);

  // Stable handlers, so the memoised bar, list and canvas do not re-render with every edit.
  const onSave = useCallback((overwrite: boolean) => void save(overwrite), [save]);
  const onRetry = useCallback(() => void save(false), [save]);
  const onValidate = useCallback(() => void validate(), [validate]);
  const onClose = useCallback(() => void close(), [close]);
  const onAddPicture = useCallback(() => setDialog('picture'), []);

  /** Another dataset replaces this one: this one's edits are sent and it is closed. */
  const switchTo = async (info: WorkspaceInfo) => {
    setDialog(null);
    if (info.id === id) {
      workspaceChanged(info);
      return;
    }
    await session.flush();
    api.dataset.close({ id }).catch(() => undefined);
    workspaceOpened(info);
  };

  /** A label's new name in the label list, and on the canvas when it is the one new boxes get. */
  const relabelLocally = (from: string, to: string) => {
    setLabelNames((names) => (names.includes(to) ? names.filter((name) => name !== from) : names.map((name) => (name === from ? to : name))));
    if (controller?.getState().currentLabel === from) controller.setCurrentLabel(to);
  };

  /** The samples changed in the main process: the shown one and the list are fetched again. */
  const refetchSamples = async () => {
    setListRevision((revision) => revision + 1);
    await session.reload();
  };

  const renameEverywhere = async (from: string, to: string) => {
    await session.flush();
    const result = await api.dataset.renameLabel({ id, from, to });
    setRenaming(null);
    // The labels in use without `from` before the list drops it, or the list would take it back from the older info.
    workspaceChanged(result.info);
    relabelLocally(from, to);
    if (filter.label === from) filterChanged({ ...filter, label: to });
    setUndoableRename(result.undo);
    setNotice(t('dataset.labels.renamed', { from, to, count: result.samples }));
    await refetchSamples();
  };

  const undoRename = async (undo: string) => {
    setUndoableRename(null);
    try {
      await session.flush();
      const result = await api.dataset.undoRenameLabel({ id, undo });
      setNotice(t('dataset.labels.renameUndone', { count: result.restored }) + (result.kept > 0 ? t('dataset.labels.renameKept', { count: result.kept }) : ''));
      await refetchSamples();
    } catch (failure) {
      setNotice(messageOf(failure));
    }
  };

  const keepExif = useCallback(async () => {
    const { index: shownIndex } = session.getSnapshot();
    const path = bindingRef.current?.getShown().path;
    if (shownIndex === null || !path) return;
    try {
      await api.dataset.keepExifRotation({ id, index: shownIndex, path });
      // Every sample using the image lost its warning: the list's badges are fetched again.
      setListRevision((revision) => revision + 1);
      await session.reload();
    } catch (failure) {
      setNotice(messageOf(failure));
    }
  }, [api, id, session]);
  const onKeepExif = useCallback(() => void keepExif(), [keepExif]);

  const writeUpright = useCallback(async () => {
    const { index: shownIndex } = session.getSnapshot();
    const path = bindingRef.current?.getShown().path;
    if (shownIndex === null || !path) return;
    try {
      await session.flush();
      const copy = await makeUprightCopy(await api.dataset.image({ id, path }));
      await api.dataset.writeUprightCopy({ id, index: shownIndex, path, ...copy });
      setListRevision((revision) => revision + 1);
      await session.reload();
      // The reloaded sample's picture is the copy now.
      setNotice(t('dataset.canvas.exifUprightWritten', { path: bindingRef.current?.getShown().path ?? '' }));
    } catch (failure) {
      setNotice(messageOf(failure));
    }
  }, [api, id, session, t]);
  const onWriteUpright = useCallback(() => void writeUpright(), [writeUpright]);

  const changeFilter = useCallback((next: SampleFilter) => filterChanged(next), [filterChanged]);
  const sample = snapshot.sample;
  const pictures = sample ? conversationOf(sample).pictures : [];
  const pictureInfo = snapshot.images.find((image) => image.path === shown.path);
  const readOnly = workspace.readOnly;

  return (
    <div className="dataset" onKeyDown={onKeyDown}>
      <WorkspaceBar
        workspace={workspace}
        send={snapshot.send}
        sendError={snapshot.sendError}
        validating={validating}
        onDialog={setDialog}
        onSave={onSave}
        onRetry={onRetry}
        onValidate={onValidate}
        onClose={onClose}
      />
      {(workspace.recovered > 0 || workspace.keptJournal || readOnly) && (
        <div className="dataset__banner" role="note">
          {workspace.recovered > 0 && <p>{t('dataset.banner.recovered', { count: workspace.recovered })}</p>}
          {workspace.keptJournal && <p>{t('dataset.banner.keptJournal', { file: workspace.keptJournal })}</p>}
          {readOnly && <p>{t('dataset.banner.readOnly')}</p>}
        </div>
      )}
      <div className="dataset__body">
        <aside className="dataset__list" aria-label={t('dataset.list.title')}>
          <SampleFilters filter={filter} labels={workspace.labels} shown={listCount} total={workspace.sampleCount} onChange={changeFilter} />
          <button type="button" className="button button--quiet button--small dataset__next" onClick={() => void nextUnreviewed()}>
            {t('dataset.review.next')} <kbd aria-hidden="true">N</kbd>
          </button>
          <SampleList workspaceId={id} sampleCount={workspace.sampleCount} revision={listRevision} filter={filter} selected={index} onSelect={sampleSelected} onCount={setListCount} ref={listHandle} />
        </aside>
        <section className="dataset__picture" aria-label={t('dataset.picture.title')}>
          {pictures.length > 1 && (
            <div className="dataset__pictures" role="group" aria-label={t('dataset.picture.choose')}>
              {pictures.map(({ segment }) => (
                <button key={segment.image} type="button" className="button button--quiet button--small" aria-pressed={segment.image === snapshot.picture} onClick={() => session.selectPicture(segment.image)}>
                  {t('dataset.picture.number', { number: segment.image + 1 })}
                </button>
              ))}
            </div>
          )}
          <div className="dataset__stage">
            <StableBoxCanvas labels={labels} onController={onController} exifKept={pictureInfo?.exifKept ?? false} onKeepExif={onKeepExif} onWriteUpright={readOnly ? undefined : onWriteUpright} />
            {workspace.sampleCount === 0 ? (
              <div className="dataset__overlay">
                <EmptyState icon={<Icon name="dataset" size={32} />} title={t('dataset.picture.noSamplesTitle')}>
                  {t('dataset.picture.noSamples')}
                </EmptyState>
              </div>
            ) : shown.status === 'none' && sample ? (
              <div className="dataset__overlay">
                <p>{t('dataset.picture.none')}</p>
              </div>
            ) : shown.status === 'failed' ? (
              <div className="dataset__overlay" role="alert">
                <p>{pictureInfo && !pictureInfo.exists ? t('dataset.picture.missing', { path: shown.path }) : t('dataset.picture.failed', { path: shown.path, detail: shown.error })}</p>
              </div>
            ) : null}
          </div>
          <LabelList
            labels={labels}
            current={currentLabel}
            onPick={(name) => controller?.setCurrentLabel(name)}
            onAdd={(name) => {
              setLabelNames((names) => [...names, name]);
              controller?.setCurrentLabel(name);
            }}
            onRename={(from, to) => {
              // A label no sample uses yet (nor the edits of this one not sent yet) is only a name in the list.
              const used = workspace.labels.some((entry) => entry.label === from) || (sample !== null && renameLabel(sample, from, to) !== sample);
              if (used && !readOnly) setRenaming({ from, to });
              else relabelLocally(from, to);
            }}
          />
        </section>
        <section className="dataset__side" aria-label={t('dataset.side')}>
          {sample ? (
            <ConversationEditor session={session} snapshot={snapshot} jump={jump} readOnly={readOnly} onAddPicture={onAddPicture} />
          ) : (
            <p className="dataset__hint">{snapshot.loadError ? t('dataset.conversation.loadFailed', { detail: snapshot.loadError }) : t('dataset.conversation.none')}</p>
          )}
          <TemplatePanel session={session} workspaceId={id} language={language} readOnly={readOnly} sizeOf={binding?.sizeOf ?? (() => undefined)} onNotice={setNotice} />
          <JsonPreview session={session} />
          <section className="dataset-panel" aria-label={t('dataset.problems.title')}>
            <ProblemList title={t('dataset.problems.thisSample')} problems={snapshot.problems} empty={t('dataset.problems.noneHere')} onJump={jumpTo} />
            {workspace.fileProblems.length > 0 && <ProblemList title={t('dataset.problems.file')} problems={workspace.fileProblems} empty="" onJump={jumpTo} />}
            {report && (
              <ProblemList
                title={t('dataset.problems.dataset', { errors: t('dataset.list.errors', { count: report.errors }), warnings: t('dataset.list.warnings', { count: report.warnings }) })}
                problems={report.problems.slice(0, REPORT_SHOWN)}
                total={report.problems.length}
                empty={t('dataset.problems.noneAnywhere')}
                onJump={jumpTo}
              />
            )}
          </section>
        </section>
      </div>
      <div className="dataset__notice">
        <p role="status">{notice}</p>
        {undoableRename && (
          <button type="button" className="button button--quiet button--small" onClick={() => void undoRename(undoableRename)}>
            {t('dataset.labels.undoRename')}
          </button>
        )}
      </div>
      {renaming && <RenameLabelDialog from={renaming.from} to={renaming.to} labels={workspace.labels} onConfirm={() => renameEverywhere(renaming.from, renaming.to)} onClose={() => setRenaming(null)} />}
      {dialog === 'open' && (
        <OpenDialog
          near={workspace.folder}
          onOpened={(info) => void switchTo(info)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'import' && <ImportDialog near={workspace.folder} language={language} onOpened={(info) => void switchTo(info)} onClose={() => setDialog(null)} />}
      {dialog === 'export' && <ExportDialog workspace={workspace} onClose={() => setDialog(null)} />}
      {dialog === 'saveAs' && (
        <Dialog title={t('dataset.bar.saveAsTitle')} onClose={() => setDialog(null)} className="dialog--form dataset-dialog">
          <FileBrowser mode="save" dir={workspace.folder} name={splitPath(workspace.file).name} accept={isJsonName} onChoose={(file) => void saveAs(file)} onCancel={() => setDialog(null)} />
        </Dialog>
      )}
      {dialog === 'picture' && (
        <Dialog title={t('dataset.picture.add')} onClose={() => setDialog(null)} className="dialog--form dataset-dialog">
          <FileBrowser
            mode="file"
            dir={workspace.imagesFolder ?? workspace.folder}
            accept={isImageName}
            onChoose={(path) => {
              setDialog(null);
              const current = session.getSnapshot();
              if (!current.sample) return;
              const added = addPicture(current.sample, relativeTo(workspace.folder, path), current.caret);
              session.edit(added.sample, 'command');
            }}
            onCancel={() => setDialog(null)}
          />
        </Dialog>
      )}
    </div>
  );
}
