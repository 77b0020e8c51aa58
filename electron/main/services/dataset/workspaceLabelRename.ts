/**
 * A label renamed in every sample of a workspace (a merge when the new name is already in use),
 * as one journaled edit, and undone as another. What an undo puts back is kept in memory for the
 * last few renames; a sample edited again since the rename is left as it is now rather than
 * losing that edit.
 */

import { ApiError } from '../../../../shared/api/apiError';
import { renameLabel } from '../../../../shared/dataset/sampleEdits';
import type { EditableSample } from '../../../../shared/dataset/sampleModel';
import type { RenameLabelResult, UndoRenameLabelResult } from '../../../../shared/dataset/workspaceApi';
import type { DatasetWorkspace } from './workspace';
import { toWireSample } from './workspaceWire';

/** Renames that can still be undone (across workspaces). */
const UNDOABLE = 10;

interface DoneRename {
  workspaceId: string;
  changed: Array<{ index: number; before: EditableSample; after: EditableSample }>;
}

export class LabelRenames {
  private readonly done = new Map<string, DoneRename>();
  private counter = 0;

  async rename(workspace: DatasetWorkspace, from: string, to: string): Promise<Omit<RenameLabelResult, 'info'>> {
    const merged = from !== to && workspace.info().labels.some((entry) => entry.label === to);
    const samples = workspace.snapshot().samples;
    const edits: Array<{ index: number; before: EditableSample; renamed: EditableSample }> = [];
    if (from !== to) {
      for (const index of workspace.list({ label: from })) {
        const before = samples[index] as EditableSample;
        const renamed = renameLabel(before, from, to);
        if (renamed !== before) edits.push({ index, before, renamed });
      }
    }
    // updateMany applies the edit before its first await: the samples read right after it are
    // the ones the rename made, whatever other requests do while the journal is written.
    const written = workspace.updateMany(edits.map(({ index, renamed }) => ({ index, sample: toWireSample(renamed) })));
    const now = workspace.snapshot().samples;
    const changed = edits.map(({ index, before }) => ({ index, before, after: now[index] as EditableSample }));
    await written;
    if (edits.length === 0) return { samples: 0, merged, undo: null };
    const undo = `rename-${++this.counter}`;
    this.done.set(undo, { workspaceId: workspace.id, changed });
    for (const oldest of this.done.keys()) {
      if (this.done.size <= UNDOABLE) break;
      this.done.delete(oldest);
    }
    return { samples: edits.length, merged, undo };
  }

  async undo(workspace: DatasetWorkspace, undo: string): Promise<UndoRenameLabelResult> {
    const done = this.done.get(undo);
    if (!done || done.workspaceId !== workspace.id) throw new ApiError('not-found', 'This rename can no longer be undone.');
    this.done.delete(undo);
    const samples = workspace.snapshot().samples;
    // Identity: the sample the rename stored is still there, at the same place, unedited since.
    const untouched = done.changed.filter(({ index, after }) => samples[index] === after);
    await workspace.updateMany(untouched.map(({ index, before }) => ({ index, sample: toWireSample(before) })));
    return { restored: untouched.length, kept: done.changed.length - untouched.length };
  }
}
