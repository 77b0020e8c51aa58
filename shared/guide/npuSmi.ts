/**
 * `npu-smi info` and `npu-smi info -l`. Column widths change with every driver (21.0.2 to
 * 26.0.rc2, 910A to A3, 310 family), so rows are read as `|`-separated cells and the meaning of the
 * numbers comes from the header words, never from character positions.
 *
 * npu-smi must not run twice at once on a host ("不支持多线程并发使用npu-smi命令").
 */
import { sh } from '../remote/remoteCommand';

export const NPU_SMI_INFO = sh`npu-smi info`;
export const NPU_SMI_LIST = sh`npu-smi info -l`;

export interface Usage {
  readonly used: number;
  readonly total: number;
}

/** One NPU row and its chip row; a card with two chips (310P Duo, A3) gives two with the same `npu`. */
export interface NpuCard {
  readonly npu: number;
  /** Null when the chip row is missing (a cut-off output). */
  readonly chip: number | null;
  /** The "Device" (310 family) or "Phy-ID" (A3) column, when printed. */
  readonly device: number | null;
  readonly name: string;
  /** OK, Warning, Alarm, Critical or UNKNOWN, as printed. */
  readonly health: string;
  /** Null when the driver prints NA or - (310 family, A3's second chip). */
  readonly powerW: number | null;
  readonly temperatureC: number | null;
  readonly hugepages: Usage | null;
  readonly aicorePercent: number | null;
  /** DDR Memory-Usage(MB). */
  readonly memoryMB: Usage | null;
  /** HBM-Usage(MB); absent on the 310 family. */
  readonly hbmMB: Usage | null;
  readonly busId: string | null;
  /** The table rows this card came from. */
  readonly lines: readonly string[];
}

export interface NpuProcess {
  readonly npu: number;
  readonly chip: number;
  readonly pid: number;
  /** Can be empty (vllm-ascend#5876). */
  readonly name: string;
  readonly memoryMB: number | null;
  readonly line: string;
}

export interface NpuSmiProblem {
  /** 1-based line number in the text given. */
  readonly line: number;
  readonly reason: string;
}

export interface NpuSmiInfo {
  /** From `npu-smi X   Version: Y`: X is the tool, Y the driver (they ship together). */
  readonly npuSmiVersion: string | null;
  readonly driverVersion: string | null;
  readonly versionLine: string | null;
  readonly cards: readonly NpuCard[];
  readonly processes: readonly NpuProcess[];
  /** NPUs with "No running processes found". */
  readonly idleNpus: readonly number[];
  /** False when the output stops before the process table (a cut-off or excerpted output). */
  readonly processTableSeen: boolean;
  readonly problems: readonly NpuSmiProblem[];
}

/** What the header rows say the numbers in the right-hand cell are. */
interface Columns {
  hugepages: boolean;
  memory: boolean;
  hbm: boolean;
}

interface PendingRow {
  npu: number;
  name: string;
  health: string;
  metrics: string;
  line: string;
  lineNumber: number;
}

const VERSION = /npu-smi\s+(\S+)\s+Version:\s*(\S+)/;
const BUS_ID = /^[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\.[0-9A-Fa-f]$/;
const PAIR = /(\d+)\s*\/\s*(\d+)/g;
const IDLE = /^No running processes found in NPU (\d+)$/;

/** Cells of a table row, or null for anything else (rulers, prose, blank lines). */
function cellsOf(line: string): string[] | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return null;
  const inner = trimmed.endsWith('|') && trimmed.length > 1 ? trimmed.slice(1, -1) : trimmed.slice(1);
  return inner.split('|').map((cell) => cell.trim());
}

function numberOrNull(token: string | undefined): number | null {
  if (token === undefined || !/^-?\d+(\.\d+)?$/.test(token)) return null;
  return Number(token);
}

/** "0    / 0   3387 / 65536" -> pairs in order, and the other tokens ("NA", "-", numbers). */
function splitMetrics(cell: string): { pairs: Usage[]; tokens: string[] } {
  const pairs = [...cell.matchAll(PAIR)].map((match) => ({ used: Number(match[1]), total: Number(match[2]) }));
  const tokens = cell.replace(PAIR, ' ').split(/\s+/).filter(Boolean);
  return { pairs, tokens };
}

export function parseNpuSmiInfo(text: string): NpuSmiInfo {
  const lines = text.split(/\r?\n/);
  const cards: NpuCard[] = [];
  const processes: NpuProcess[] = [];
  const idleNpus: number[] = [];
  const problems: NpuSmiProblem[] = [];
  const columns: Columns = { hugepages: false, memory: false, hbm: false };
  let headerSeen = false;
  let processTableSeen = false;
  let pending: PendingRow | null = null;
  let versionLine: string | null = null;
  let npuSmiVersion: string | null = null;
  let driverVersion: string | null = null;

  const flushPending = (chipCells: string[] | null, chipLine: string | null): void => {
    if (!pending) return;
    const npuRow = splitMetrics(pending.metrics);
    const hugepages = columns.hugepages || !headerSeen ? (npuRow.pairs[0] ?? null) : null;
    const chipIds = chipCells ? (chipCells[0] ?? '').split(/\s+/).map((token) => numberOrNull(token)) : [];
    const chipRow = chipCells ? splitMetrics(chipCells[2] ?? '') : { pairs: [], tokens: [] };
    // Without headers (an excerpt), two pairs are DDR then HBM, one pair is the memory.
    const memoryColumn = headerSeen ? columns.memory : true;
    const hbmColumn = headerSeen ? columns.hbm : chipRow.pairs.length > 1;
    const memoryMB = memoryColumn ? (chipRow.pairs[0] ?? null) : null;
    const hbmMB = hbmColumn ? (chipRow.pairs[memoryColumn ? 1 : 0] ?? null) : null;
    const busId = chipCells?.[1];
    cards.push({
      npu: pending.npu,
      chip: chipIds[0] ?? null,
      device: chipIds[1] ?? null,
      name: pending.name,
      health: pending.health,
      powerW: numberOrNull(npuRow.tokens[0]),
      temperatureC: numberOrNull(npuRow.tokens[1]),
      hugepages,
      aicorePercent: numberOrNull(chipRow.tokens[0]),
      memoryMB,
      hbmMB,
      busId: busId === undefined || busId === 'NA' ? null : busId,
      lines: chipLine === null ? [pending.line] : [pending.line, chipLine],
    });
    if (!chipCells) problems.push({ line: pending.lineNumber, reason: `NPU ${pending.npu} has no chip row` });
    pending = null;
  };

  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trimEnd();
    const lineNumber = index + 1;
    const version = VERSION.exec(line);
    if (version) {
      versionLine = line;
      npuSmiVersion = version[1] ?? null;
      driverVersion = version[2] ?? null;
      continue;
    }
    const cells = cellsOf(line);
    if (!cells) continue;
    const [first = '', second = ''] = cells;

    if (/^NPU\s+Name\b/.test(first)) {
      headerSeen = true;
      columns.hugepages = (cells[2] ?? '').includes('Hugepages');
      continue;
    }
    if (/^Chip\b/.test(first)) {
      columns.memory = (cells[2] ?? '').includes('Memory-Usage');
      columns.hbm = (cells[2] ?? '').includes('HBM-Usage');
      continue;
    }
    if (cells.some((cell) => cell.startsWith('Process id'))) {
      flushPending(null, null);
      processTableSeen = true;
      continue;
    }
    const idle = IDLE.exec(first);
    if (idle && cells.length === 1) {
      flushPending(null, null);
      processTableSeen = true;
      idleNpus.push(Number(idle[1]));
      continue;
    }

    if (processTableSeen) {
      const ids = first.split(/\s+/).map((token) => numberOrNull(token));
      const pid = numberOrNull(second);
      const [npu, chip] = ids;
      if (cells.length >= 4 && typeof npu === 'number' && typeof chip === 'number' && pid !== null) {
        processes.push({ npu, chip, pid, name: cells[2] ?? '', memoryMB: numberOrNull(cells[3]), line });
      } else {
        problems.push({ line: lineNumber, reason: 'unrecognised process row' });
      }
      continue;
    }

    if (cells.length < 3) {
      problems.push({ line: lineNumber, reason: 'unrecognised row' });
      continue;
    }
    // A chip row follows its NPU row and has a bus id (or NA) where the NPU row has the health.
    const chipRow = BUS_ID.test(second) || second === 'NA';
    if (pending && chipRow) {
      flushPending(cells, line);
      continue;
    }
    const npuRow = /^(\d+)\s+(\S.*)$/.exec(first);
    if (npuRow && second !== '' && !chipRow) {
      flushPending(null, null);
      pending = { npu: Number(npuRow[1]), name: npuRow[2] ?? '', health: second, metrics: cells[2] ?? '', line, lineNumber };
      continue;
    }
    problems.push({ line: lineNumber, reason: chipRow ? 'chip row without an NPU row' : 'unrecognised row' });
  }
  flushPending(null, null);

  if (driverVersion === null) problems.push({ line: 0, reason: 'no "npu-smi … Version:" line' });
  if (cards.length === 0) problems.push({ line: 0, reason: 'no NPU rows' });
  return { npuSmiVersion, driverVersion, versionLine, cards, processes, idleNpus, processTableSeen, problems };
}

export interface NpuListEntry {
  readonly id: number;
  readonly chipCount: number | null;
}

export interface NpuSmiList {
  readonly totalCount: number | null;
  readonly totalLine: string | null;
  readonly npus: readonly NpuListEntry[];
}

/** `npu-smi info -l`: "Total Count : 8", then an "NPU ID" / "Chip Count" record per NPU. */
export function parseNpuSmiList(text: string): NpuSmiList {
  let totalCount: number | null = null;
  let totalLine: string | null = null;
  const npus: { id: number; chipCount: number | null }[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const field = /^\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(rawLine);
    if (!field) continue;
    const [, key, value = ''] = field;
    const number = /^\d+$/.test(value) ? Number(value) : null;
    if (key === 'Total Count' && number !== null) {
      totalCount = number;
      totalLine = rawLine.trim();
    } else if (key === 'NPU ID' && number !== null) {
      npus.push({ id: number, chipCount: null });
    } else if (key === 'Chip Count') {
      const last = npus.at(-1);
      if (last) last.chipCount = number;
    }
  }
  return { totalCount, totalLine, npus };
}
