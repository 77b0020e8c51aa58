import { z } from 'zod';
import { AuditEntry } from '../audit/auditEntry';
import { DatasetProgress, EditResult, ExportRequest, ExportResult, FilesListRequest, FolderListing, ImageRequest, ImageResult, ImportRequest, ImportResult, InsertRequest, KeepExifRotationRequest, ListRequest, ListResult, OpenWorkspaceRequest, RemoveRequest, RemoveResult, RenameLabelRequest, RenameLabelResult, RowsRequest, RowsResult, SampleRequest, SampleResult, SaveRequest, UndoRenameLabelRequest, UndoRenameLabelResult, UpdateRequest, UploadPlan, UploadPlanRequest, ValidationReport, WorkspaceInfo, WorkspaceRef, WriteUprightCopyRequest } from '../dataset/workspaceApi';
import { DatasetUploadRequest } from '../guide/datasetItems';
import { ActionEvent, ActionOutcome, ActionPreview, ActionRef, ActionRequest, CheckRequest, FixOutcome, FixPreview, FixRequest, GuideView, HostCheckResult, StopPreview, StopRequest, StopResult, WizardProgress } from '../guide/wizardApi';
import { HostId, HostProfile, HostProfileFields, HostStatus } from '../hosts/hostProfile';
import { PromptAnswer, PromptRequest } from '../hosts/prompts';
import { LogPointBatch, LogPointsRequest, LogStreamId, LogStreamInfo, LogStreamRequest } from '../logs/logStreamApi';
import { Language, Settings, SettingsPatch } from '../settings/settings';
import { TerminalAck, TerminalBusy, TerminalData, TerminalInfo, TerminalOpenRequest, TerminalRef, TerminalResize, TerminalWrite } from '../terminal/terminalApi';
import { TransferJob, TransferRequest } from '../transfers/transferJob';
import { event, method } from './contractTypes';
import type { ApiOf, EventSpec, MethodSpec } from './contractTypes';
import type { EventChannel, MethodChannel } from './channels';

export const Runtime = z.enum(['electron', 'web']);
export type Runtime = z.infer<typeof Runtime>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  runtime: Runtime,
  platform: z.string(),
  /** Set by `--lang en|zh` at launch; wins over the saved preference for this run only. */
  launchLanguage: Language.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const none = z.undefined();
/** Methods that answer nothing but success. */
const done = z.void();

export const HostsOverview = z.object({
  profiles: z.array(HostProfile),
  statuses: z.array(HostStatus),
  /** Questions still waiting for an answer (a window that opens late shows them). */
  prompts: z.array(PromptRequest),
  /** Saved entries that could not be read. */
  problems: z.array(z.string()),
  secrets: z.object({ canRemember: z.boolean(), reason: z.string().nullable() }),
});
export type HostsOverview = z.infer<typeof HostsOverview>;

export const SshConfigImport = z.object({
  file: z.string(),
  candidates: z.array(HostProfileFields.extend({ alias: z.string() })),
  problems: z.array(z.string()),
});
export type SshConfigImport = z.infer<typeof SshConfigImport>;

/**
 * The one API between the renderer and the main process. Method names are `domain:action`,
 * push events `domain:onDidX`. Later features add their domains here and their names to channels.ts.
 */
export const contract = {
  methods: {
    'app:getInfo': method(none, AppInfo),
    'settings:get': method(none, Settings),
    'settings:update': method(SettingsPatch, Settings),
    'hosts:list': method(none, HostsOverview),
    'hosts:add': method(HostProfileFields, HostProfile),
    'hosts:update': method(z.object({ id: HostId, fields: HostProfileFields }), HostProfile),
    'hosts:remove': method(z.object({ id: HostId }), done),
    /** Resolves once connected or failed; the status says which (and why). */
    'hosts:connect': method(z.object({ id: HostId }), HostStatus),
    'hosts:disconnect': method(z.object({ id: HostId }), done),
    'hosts:importSshConfig': method(none, SshConfigImport),
    'hosts:answerPrompt': method(PromptAnswer, z.boolean()),
    'transfers:list': method(none, z.array(TransferJob)),
    'transfers:start': method(TransferRequest, TransferJob),
    'transfers:cancel': method(z.object({ jobId: z.string() }), done),
    'guide:get': method(none, GuideView),
    /** Runs a step's checks on each host (in parallel) and resolves with every host's results. */
    'guide:check': method(CheckRequest, z.array(HostCheckResult)),
    /** The exact commands a fix would run, to show before asking. */
    'guide:previewFix': method(FixRequest.omit({ hostId: true }), FixPreview),
    'guide:runFix': method(FixRequest, FixOutcome),
    /** Each host's answers, step results and last actions, as saved (they survive a restart). */
    'guide:getProgress': method(none, WizardProgress),
    /** The exact commands of an item's action on a host, and what on the server refuses them now. */
    'guide:previewAction': method(ActionRequest, ActionPreview),
    /** Runs an action (pull, start), streaming `guide:onDidProgress`; resolves when it is done. */
    'guide:runAction': method(ActionRequest, ActionOutcome),
    'guide:cancelAction': method(ActionRef, done),
    /** Step 6's Stop on one node: the exact command, then the run (TERM, KILL after a grace period). */
    'guide:previewStop': method(StopRequest, StopPreview),
    'guide:stopTraining': method(StopRequest, StopResult),
    /** Step 5: uploads an open dataset with its images (paths rewritten), as the dataset item's action. */
    'guide:uploadDataset': method(DatasetUploadRequest, ActionOutcome),
    /** Every command the app ran (on one host, or all), oldest first, secrets redacted. */
    'audit:list': method(z.object({ hostId: HostId.optional() }), z.array(AuditEntry)),
    /** Opens a shell on a connected host (or in one of its containers) with a pty of this size. */
    'terminal:open': method(TerminalOpenRequest, TerminalInfo),
    'terminal:list': method(none, z.array(TerminalInfo)),
    'terminal:write': method(TerminalWrite, done),
    'terminal:resize': method(TerminalResize, done),
    /** The view has parsed this many more characters (see TERMINAL_FLOW). */
    'terminal:ack': method(TerminalAck, done),
    'terminal:busy': method(TerminalRef, TerminalBusy),
    'terminal:close': method(TerminalRef, done),
    /** Reads a log on a connected host from its start, then follows what is appended (across reconnects). */
    'logs:follow': method(LogStreamRequest, LogStreamInfo),
    /** Reads a log on a connected host once, to its end. */
    'logs:openRemote': method(LogStreamRequest, LogStreamInfo),
    /** Stops reading; the stream stays listed and its points can still be fetched. */
    'logs:unfollow': method(z.object({ id: LogStreamId }), done),
    /** Stops reading and forgets the stream. */
    'logs:close': method(z.object({ id: LogStreamId }), done),
    'logs:list': method(none, z.array(LogStreamInfo)),
    /** Points of a stream from `from` (at most one batch): what a window missed or never had. */
    'logs:points': method(LogPointsRequest, LogPointBatch),
    /** Opens a dataset file (new when it does not exist) and/or an images folder; replays a crash journal. */
    'dataset:open': method(OpenWorkspaceRequest, WorkspaceInfo),
    /** The open workspaces (a window that reloads finds its dataset again). */
    'dataset:workspaces': method(none, z.array(WorkspaceInfo)),
    /** Indices of the samples a filter keeps. */
    'dataset:list': method(ListRequest, ListResult),
    /** Summaries of samples from..from+count-1 for the list. */
    'dataset:rows': method(RowsRequest, RowsResult),
    'dataset:sample': method(SampleRequest, SampleResult),
    /** An image the dataset references (or of its images folder), at most 64 MiB. */
    'dataset:image': method(ImageRequest, ImageResult),
    /** Replaces a sample; resolves once the edit is in the journal on disk. */
    'dataset:update': method(UpdateRequest, EditResult),
    'dataset:insert': method(InsertRequest, EditResult),
    'dataset:remove': method(RemoveRequest, RemoveResult),
    /** Renames (or merges) a label in every sample as one journaled edit. */
    'dataset:renameLabel': method(RenameLabelRequest, RenameLabelResult),
    /** Undoes a rename, except in samples edited again since. */
    'dataset:undoRenameLabel': method(UndoRenameLabelRequest, UndoRenameLabelResult),
    /** Keeps an image's EXIF rotation as training sees it (unrotated): its warning goes, in every sample. */
    'dataset:keepExifRotation': method(KeepExifRotationRequest, EditResult),
    /** Writes an upright copy of a rotated image beside it and points the sample (and its boxes) at it. */
    'dataset:writeUprightCopy': method(WriteUprightCopyRequest, EditResult),
    /** Writes the file now (or as another file) and resolves with the state after the write. */
    'dataset:save': method(SaveRequest, WorkspaceInfo),
    /** Saves pending edits, then forgets the workspace. */
    'dataset:close': method(WorkspaceRef, done),
    /** Every problem of the dataset (images probed), streaming `dataset:onDidProgress`. */
    'dataset:validate': method(WorkspaceRef, ValidationReport),
    /** Converts COCO/VOC/YOLO/LabelMe annotations into a new Qwen-VL file and opens it. */
    'dataset:import': method(ImportRequest, ImportResult),
    'dataset:export': method(ExportRequest, ExportResult),
    /** What uploading the dataset with its images into a folder on the server takes. */
    'dataset:uploadPlan': method(UploadPlanRequest, UploadPlan),
    /** A folder of this machine (default: the home folder), for choosing files in browser mode. */
    'files:list': method(FilesListRequest, FolderListing),
  } satisfies Record<MethodChannel, MethodSpec>,
  events: {
    'settings:onDidChange': event(Settings),
    'hosts:onDidChangeProfiles': event(z.array(HostProfile)),
    'hosts:onDidChangeStatus': event(HostStatus),
    'hosts:onDidRequestPrompt': event(PromptRequest),
    'hosts:onDidSettlePrompt': event(z.object({ promptId: z.string() })),
    'transfers:onDidUpdate': event(TransferJob),
    'guide:onDidProgress': event(ActionEvent),
    'terminal:onDidData': event(TerminalData),
    /** A terminal opened, exited or dropped with its connection. */
    'terminal:onDidChange': event(TerminalInfo),
    /** New points of a stream, numbered from `from` in its point sequence. */
    'logs:onDidAppend': event(LogPointBatch),
    /** A stream's state, progress or summary changed. */
    'logs:onDidChange': event(LogStreamInfo),
    /** A workspace's state changed: samples added or removed, saved, autosave scheduled, conflict. */
    'dataset:onDidChange': event(WorkspaceInfo),
    'dataset:onDidProgress': event(DatasetProgress),
  } satisfies Record<EventChannel, EventSpec>,
} as const;

export type Contract = typeof contract;
export type Api = ApiOf<Contract>;
