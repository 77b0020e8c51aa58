import { Fragment, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../shared/audit/auditEntry';
import type { HostId } from '../../../../shared/hosts/hostProfile';
import { useApi } from '../../api/ApiContext';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/icons';
import { useAsyncTask } from '../hosts/useAsyncTask';
import { downloadBlob } from '../loss/exportRuns';
import { auditFileName, auditOutcome, auditPassed, auditToJsonLines, auditToText, filterAudit, formatDuration } from './auditExport';
import './audit.css';

interface AuditDialogProps {
  hostId: HostId;
  hostName: string;
  onClose(): void;
}

/** Every command the app ran on one host, newest first, with the recorded (redacted) output heads. */
export function AuditDialog({ hostId, hostName, onClose }: AuditDialogProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const id = useId();
  const task = useAsyncTask();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<AuditEntry>>(new Set());
  const { run } = task;

  const refresh = useCallback(() => {
    void run(async () => setEntries(await api.audit.list({ hostId })));
  }, [api, hostId, run]);
  useEffect(refresh, [refresh]);

  // The log keeps the newest last; the newest is what the user has just done, so it goes on top.
  const shown = useMemo(() => filterAudit(entries ?? [], query).reverse(), [entries, query]);
  const timeFormat = useMemo(() => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }), [i18n.language]);

  const toggle = (entry: AuditEntry) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(entry)) next.add(entry);
      return next;
    });

  // Exports follow the filter, in the log's own (chronological) order.
  const exported = () => filterAudit(entries ?? [], query);
  const exportJsonLines = () => downloadBlob(new Blob([auditToJsonLines(exported())], { type: 'application/jsonl' }), auditFileName(hostName, new Date(), 'jsonl'));
  const exportText = () => downloadBlob(new Blob([auditToText(exported(), hostName)], { type: 'text/plain' }), auditFileName(hostName, new Date(), 'txt'));

  const outcomeLabel = (entry: AuditEntry): string => {
    const outcome = auditOutcome(entry);
    switch (outcome.kind) {
      case 'code':
        return String(outcome.code);
      case 'signal':
        return t('audit.signal', { signal: outcome.signal });
      case 'timedOut':
        return t('audit.timedOut');
      case 'cancelled':
        return t('audit.cancelled');
      case 'unknown':
        return t('audit.noCode');
    }
  };

  const total = entries?.length ?? 0;
  const nothingExported = shown.length === 0;

  return (
    <Dialog title={t('audit.title', { name: hostName })} onClose={onClose} className="audit-dialog">
      <div className="audit-toolbar">
        <div className="field audit-toolbar__filter">
          <label className="field__label" htmlFor={`${id}-filter`}>
            {t('audit.filter')}
          </label>
          <input
            id={`${id}-filter`}
            type="search"
            className="field__input"
            value={query}
            placeholder={t('audit.filterPlaceholder')}
            onChange={(event) => setQuery(event.target.value)}
            data-autofocus
          />
        </div>
        <button type="button" className="button button--small button--quiet" onClick={refresh} disabled={task.busy}>
          {task.busy ? t('audit.refreshing') : t('audit.refresh')}
        </button>
        <button type="button" className="button button--small button--quiet" onClick={exportJsonLines} disabled={nothingExported}>
          <Icon name="download" size={14} />
          {t('audit.exportJsonLines')}
        </button>
        <button type="button" className="button button--small button--quiet" onClick={exportText} disabled={nothingExported}>
          <Icon name="download" size={14} />
          {t('audit.exportText')}
        </button>
      </div>
      <p className="dialog__text dialog__text--muted" aria-live="polite">
        {entries === null ? t('audit.loading') : t('audit.count', { shown: shown.length, total })} {t('audit.redacted')}
      </p>
      {task.error && (
        <p className="field__error" role="alert">
          {task.error}
        </p>
      )}
      {entries !== null && total === 0 && (
        <div className="dialog-empty">
          <p className="dialog-empty__title">{t('audit.emptyTitle')}</p>
          <p>{t('audit.emptyBody', { name: hostName })}</p>
        </div>
      )}
      {total > 0 && shown.length === 0 && <p className="dialog-empty">{t('audit.noMatch', { query: query.trim() })}</p>}
      {shown.length > 0 && (
        <div className="audit-table-wrap">
          <table className="audit-table">
            <caption className="visually-hidden">{t('audit.title', { name: hostName })}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">{t('audit.output')}</span>
                </th>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.command')}</th>
                <th scope="col">{t('audit.exitCode')}</th>
                <th scope="col">{t('audit.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry, index) => {
                const open = expanded.has(entry);
                const passed = auditPassed(entry);
                const outputId = `${id}-output-${index}`;
                return (
                  <Fragment key={`${entry.startedAt}-${index}`}>
                    <tr className={open ? 'audit-row audit-row--open' : 'audit-row'}>
                      <td>
                        <button
                          type="button"
                          className="audit-row__toggle"
                          aria-expanded={open}
                          aria-controls={open ? outputId : undefined}
                          aria-label={t('audit.showOutput', { command: entry.command })}
                          onClick={() => toggle(entry)}
                        >
                          <Icon name="chevron" size={14} />
                        </button>
                      </td>
                      <td className="audit-row__time">{timeFormat.format(entry.startedAt)}</td>
                      <td className="audit-row__command mono">{entry.command}</td>
                      <td className={passed ? 'audit-row__exit audit-row__exit--pass' : 'audit-row__exit audit-row__exit--fail'}>
                        <span aria-hidden="true">{passed ? '✓' : '✗'} </span>
                        {outcomeLabel(entry)}
                        <span className="visually-hidden"> {passed ? t('audit.passed') : t('audit.failed')}</span>
                      </td>
                      <td className="audit-row__duration">{formatDuration(entry.finishedAt - entry.startedAt)}</td>
                    </tr>
                    {open && (
                      <tr id={outputId} className="audit-output">
                        <td colSpan={5}>
                          <h3 className="audit-output__label">{t('audit.stdout')}</h3>
                          <pre aria-label={t('audit.stdoutOf', { command: entry.command })}>{entry.stdout || t('audit.noOutput')}</pre>
                          <h3 className="audit-output__label">{t('audit.stderr')}</h3>
                          <pre aria-label={t('audit.stderrOf', { command: entry.command })}>{entry.stderr || t('audit.noOutput')}</pre>
                          {entry.truncated && <p className="dialog__text dialog__text--muted">{t('audit.truncated')}</p>}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={onClose}>
          {t('audit.close')}
        </button>
      </div>
    </Dialog>
  );
}
