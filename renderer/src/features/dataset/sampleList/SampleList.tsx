import { memo, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Ref } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SampleFilter, SampleRow } from '../../../../../shared/dataset/workspaceApi';
import { useApi } from '../../../api/ApiContext';
import { RowStore } from './rowStore';
import { SampleListController, THUMB_SIZE } from './sampleListController';
import type { ListStrings } from './sampleListController';
import { ThumbnailLoader } from './thumbnailLoader';

function listStrings(t: TFunction): ListStrings {
  return {
    list: t('dataset.list.label'),
    loading: t('dataset.list.loading'),
    noId: t('dataset.list.noId'),
    noImage: t('dataset.list.noImage'),
    meta: (row: SampleRow) => {
      const image = row.image === null ? t('dataset.list.noImage') : (row.image.split(/[\\/]/).pop() ?? row.image);
      const boxes = t('dataset.list.boxes', { count: row.boxCount });
      return row.labels.length > 0 ? `${image} · ${boxes} · ${row.labels.join(', ')}` : `${image} · ${boxes}`;
    },
    reviewed: t('dataset.list.reviewed'),
    problems: (row: SampleRow) =>
      row.errors > 0 ? t('dataset.list.errors', { count: row.errors }) + (row.warnings > 0 ? `, ${t('dataset.list.warnings', { count: row.warnings })}` : '') : t('dataset.list.warnings', { count: row.warnings }),
  };
}

/** What the screen needs from the list besides what it shows: its order, for A/D and jumps. */
export interface SampleListHandle {
  /** The sample `step` places from `index` in the list's order (filtered), or undefined at an end. */
  neighbour(index: number, step: 1 | -1): number | undefined;
  /** A row changed (an edit was acknowledged). */
  updateRow(row: SampleRow): void;
  focus(): void;
}

interface SampleListProps {
  workspaceId: string;
  /** Changes when samples are added or removed: the list is fetched again. */
  sampleCount: number;
  /** Changes when many samples changed at once (a label renamed everywhere): the list is fetched again. */
  revision: number;
  filter: SampleFilter;
  selected: number | null;
  onSelect(index: number): void;
  /** How many samples the filter keeps (null while counting). */
  onCount(count: number | null): void;
  ref: Ref<SampleListHandle>;
}

const isEmpty = (filter: SampleFilter) => filter.reviewed === undefined && filter.problems === undefined && filter.label === undefined && !filter.text;

/** Mounts the framework-free list; React only tells it which rows (workspace, filter) and which sample is selected. */
export const SampleList = memo(function SampleList({ workspaceId, sampleCount, revision, filter, selected, onSelect, onCount, ref }: SampleListProps) {
  const { t } = useTranslation();
  const api = useApi();
  const strings = useMemo(() => listStrings(t), [t]);
  const [controller, setController] = useState<SampleListController | null>(null);
  const [store, setStore] = useState<RowStore | null>(null);
  const thumbnails = useMemo(() => new ThumbnailLoader((path) => api.dataset.image({ id: workspaceId, path }), Math.round(THUMB_SIZE * (window.devicePixelRatio || 1))), [api, workspaceId]);
  useEffect(() => () => thumbnails.clear(), [thumbnails]);
  const latest = useRef({ strings, onSelect, selected });
  useLayoutEffect(() => {
    latest.current = { strings, onSelect, selected };
  });

  const hostRef = useCallback(
    (host: HTMLDivElement | null) => {
      if (!host) return;
      const created = new SampleListController(host, thumbnails, latest.current.strings);
      created.setSelected(latest.current.selected);
      const off = created.onSelect((index) => latest.current.onSelect(index));
      setController(created);
      return () => {
        off();
        created.destroy();
        setController(null);
      };
    },
    [thumbnails],
  );

  useEffect(() => controller?.setStrings(strings), [controller, strings]);
  useEffect(() => controller?.setSelected(selected), [controller, selected]);

  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    if (!controller) return;
    let current = true;
    let made: RowStore | null = null;
    const refresh = () => controller.refresh();
    const fetchRows = (from: number, count: number) => api.dataset.rows({ id: workspaceId, from, count });
    const use = (indices: number[] | null, total: number) => {
      if (!current) return;
      made = new RowStore(fetchRows, indices, total, refresh);
      controller.setStore(made);
      setStore(made);
      onCount(made.length);
    };
    const parsed = JSON.parse(filterKey) as SampleFilter;
    onCount(null);
    if (isEmpty(parsed)) use(null, sampleCount);
    else api.dataset.list({ id: workspaceId, filter: parsed }).then((answer) => use(answer.indices, answer.total), () => use([], sampleCount));
    return () => {
      current = false;
      made?.dispose();
    };
  }, [api, controller, workspaceId, sampleCount, revision, filterKey, onCount]);

  useImperativeHandle(
    ref,
    () => ({
      neighbour: (index, step) => store?.neighbour(index, step),
      updateRow: (row) => store?.update(row),
      focus: () => controller?.focus(),
    }),
    [store, controller],
  );

  return <div ref={hostRef} className="sample-list-host" />;
});
