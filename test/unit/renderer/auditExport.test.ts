import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/auditEntry';
import {
  auditFileName,
  auditOutcome,
  auditPassed,
  auditToJsonLines,
  auditToText,
  filterAudit,
  formatDuration,
} from '../../../renderer/src/features/audit/auditExport';

const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  hostId: 'h1',
  startedAt: Date.UTC(2026, 10, 28, 8, 0, 0),
  finishedAt: Date.UTC(2026, 10, 28, 8, 0, 1, 250),
  command: 'npu-smi info',
  code: 0,
  signal: null,
  timedOut: false,
  cancelled: false,
  stdout: '',
  stderr: '',
  truncated: false,
  ...fields,
});

describe('auditOutcome / auditPassed', () => {
  it('names how a command ended, a cancel or timeout before any code', () => {
    expect(auditOutcome(entry({ code: 2 }))).toEqual({ kind: 'code', code: 2 });
    expect(auditOutcome(entry({ code: null, signal: 'SIGKILL' }))).toEqual({ kind: 'signal', signal: 'SIGKILL' });
    expect(auditOutcome(entry({ code: null, timedOut: true }))).toEqual({ kind: 'timedOut' });
    expect(auditOutcome(entry({ code: 0, cancelled: true }))).toEqual({ kind: 'cancelled' });
    expect(auditOutcome(entry({ code: null }))).toEqual({ kind: 'unknown' });
  });

  it('passes only exit code 0 that was neither cancelled nor timed out', () => {
    expect(auditPassed(entry({}))).toBe(true);
    expect(auditPassed(entry({ code: 1 }))).toBe(false);
    expect(auditPassed(entry({ cancelled: true }))).toBe(false);
    expect(auditPassed(entry({ code: null, signal: 'SIGTERM' }))).toBe(false);
  });
});

describe('formatDuration', () => {
  it('uses ms, then seconds with one decimal, then minutes', () => {
    expect(formatDuration(42)).toBe('42 ms');
    expect(formatDuration(1250)).toBe('1.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(-5)).toBe('0 ms');
  });
});

describe('filterAudit', () => {
  const entries = [entry({ command: 'npu-smi info', stdout: 'Health OK' }), entry({ command: 'docker info', stderr: 'Cannot connect to the Docker daemon' })];

  it('matches the command or either stream, ignoring case and surrounding spaces', () => {
    expect(filterAudit(entries, '  NPU ').map((e) => e.command)).toEqual(['npu-smi info']);
    expect(filterAudit(entries, 'daemon').map((e) => e.command)).toEqual(['docker info']);
    expect(filterAudit(entries, 'health ok')).toHaveLength(1);
    expect(filterAudit(entries, 'nothing like this')).toEqual([]);
  });

  it('keeps everything for an empty query, as a copy', () => {
    const all = filterAudit(entries, ' ');
    expect(all).toEqual(entries);
    expect(all).not.toBe(entries);
  });
});

describe('auditToJsonLines', () => {
  it('writes one parseable entry per line, ending with a newline', () => {
    const entries = [entry({ stdout: 'a\nb' }), entry({ command: 'echo "x"', code: 1 })];
    const text = auditToJsonLines(entries);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line) as AuditEntry)).toEqual(entries);
  });

  it('is empty for no entries', () => {
    expect(auditToJsonLines([])).toBe('');
  });
});

describe('auditToText', () => {
  it('shows the UTC time, host, command, outcome, duration and indented streams', () => {
    const text = auditToText(
      [entry({ stdout: 'line 1\nline 2\n', truncated: true }), entry({ command: 'sleep 99', code: null, timedOut: true, stderr: 'killed' })],
      'devserver-1',
    );
    expect(text).toBe(
      [
        '[2026-11-28T08:00:00.000Z] devserver-1 $ npu-smi info',
        '  exit 0 · 1.3 s · output truncated',
        '  stdout:',
        '    line 1',
        '    line 2',
        '',
        '[2026-11-28T08:00:00.000Z] devserver-1 $ sleep 99',
        '  timed out · 1.3 s',
        '  stderr:',
        '    killed',
        '',
      ].join('\n'),
    );
  });
});

describe('auditFileName', () => {
  it('names the host and the moment with file-system-safe characters', () => {
    const at = new Date(Date.UTC(2026, 10, 28, 8, 14, 24, 999));
    expect(auditFileName('devserver-1', at, 'jsonl')).toBe('audit-devserver-1-20261128-081424.jsonl');
    expect(auditFileName('GPU box/2 ', at, 'txt')).toBe('audit-GPU_box_2_-20261128-081424.txt');
    expect(auditFileName('开发机', at, 'txt')).toBe('audit-_-20261128-081424.txt');
  });
});
