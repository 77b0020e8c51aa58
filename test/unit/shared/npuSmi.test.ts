// npu-smi outputs from test/fixtures/npu-smi. Expected values were read off the fixture text by hand.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NpuCard } from '../../../shared/guide/npuSmi';
import { parseNpuSmiInfo, parseNpuSmiList } from '../../../shared/guide/npuSmi';
import { classifyNpuSmiError } from '../../../shared/guide/npuSmiErrors';
import { fixtureText } from './guideFixtures';

const infoFixtures = readdirSync(new URL('../../fixtures/npu-smi/', import.meta.url))
  .filter((name) => name.startsWith('npu-smi-info-') && !/^npu-smi-info-[lm]-/.test(name))
  .sort();

const info = (name: string) => parseNpuSmiInfo(fixtureText(`npu-smi/${name}`));

/** The values a user compares with the table, without the raw lines. */
function brief(card: NpuCard | undefined) {
  if (!card) return undefined;
  const { lines: _lines, ...rest } = card;
  return rest;
}

describe('parseNpuSmiInfo on every real layout', () => {
  it('covers all 15 `npu-smi info` fixtures', () => {
    expect(infoFixtures).toHaveLength(15);
  });

  it.each(infoFixtures)('%s: the version of its file name, NPU rows, no parse problem', (name) => {
    const parsed = info(name);
    const version = /-(\d+\.\d+\.[0-9a-z.]+?)-/.exec(name)?.[1];
    expect(parsed.driverVersion).toBe(version);
    expect(parsed.npuSmiVersion).toBe(version);
    expect(parsed.cards.length).toBeGreaterThan(0);
    expect(parsed.problems).toEqual([]);
    for (const card of parsed.cards) {
      expect(card.name).toMatch(/^(310|310B4|310P3|910A|910B|910B2C|910B3|910B4|Ascend910)$/);
      expect(card.chip).not.toBeNull();
      expect(card.lines).toHaveLength(2);
    }
  });

  it('8 × 910B3 idle (24.1.0): every card, HBM of 65536 MB, each NPU listed idle', () => {
    const parsed = info('npu-smi-info-910b3-8card-24.1.0-idle.txt');
    expect(parsed.cards.map((card) => card.npu)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(brief(parsed.cards[0])).toEqual({
      npu: 0,
      chip: 0,
      device: null,
      name: '910B3',
      health: 'OK',
      powerW: 98.6,
      temperatureC: 39,
      hugepages: { used: 0, total: 0 },
      aicorePercent: 0,
      memoryMB: { used: 0, total: 0 },
      hbmMB: { used: 3387, total: 65536 },
      busId: '0000:C1:00.0',
    });
    expect(parsed.cards[4]).toMatchObject({ powerW: 100.2, temperatureC: 45, busId: '0000:01:00.0', hbmMB: { used: 3385, total: 65536 } });
    expect(parsed.cards[7]?.hbmMB).toEqual({ used: 3386, total: 65536 });
    expect(parsed.cards[0]?.lines).toEqual([
      '| 0     910B3               | OK            | 98.6        39                0    / 0             |',
      '| 0                         | 0000:C1:00.0  | 0           0    / 0          3387 / 65536         |',
    ]);
    expect(parsed.idleNpus).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(parsed.processes).toEqual([]);
    expect(parsed.processTableSeen).toBe(true);
  });

  it('8 × 910B4 idle (25.0.rc1.1): 32768 MB cards', () => {
    const parsed = info('npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt');
    expect(parsed.versionLine).toBe('| npu-smi 25.0.rc1.1               Version: 25.0.rc1.1                                           |');
    expect(parsed.cards.map((card) => card.hbmMB)).toEqual([...Array(7).fill({ used: 2654, total: 32768 }), { used: 2653, total: 32768 }]);
    expect(parsed.cards[7]).toMatchObject({ npu: 7, powerW: 81.6, temperatureC: 37, busId: '0000:42:00.0' });
    expect(parsed.idleNpus).toHaveLength(8);
  });

  it('in a container (24.1.rc3): only the mounted cards 3 and 6, host numbering kept, several processes per card', () => {
    const parsed = info('npu-smi-info-910b4-2visible-24.1.rc3-procs-in-container.txt');
    expect(parsed.cards.map((card) => [card.npu, card.hbmMB?.used])).toEqual([
      [3, 3034],
      [6, 2912],
    ]);
    expect(parsed.processes.map(({ npu, chip, pid, name, memoryMB }) => ({ npu, chip, pid, name, memoryMB }))).toEqual([
      { npu: 3, chip: 0, pid: 14414, name: 'python', memoryMB: 113 },
      { npu: 3, chip: 0, pid: 14247, name: 'vllm', memoryMB: 115 },
      { npu: 3, chip: 0, pid: 14413, name: 'python', memoryMB: 113 },
      { npu: 6, chip: 0, pid: 14412, name: 'python', memoryMB: 115 },
    ]);
    expect(parsed.processes[1]?.line).toBe('| 3       0                 | 14247         | vllm                     | 115                     |');
    expect(parsed.idleNpus).toEqual([]);
  });

  it('busy excerpt (24.1.1): "26838/ 32768" with the value glued to the slash; no process table', () => {
    const parsed = info('npu-smi-info-910b4-2card-24.1.1-EXCERPT.txt');
    expect(parsed.cards.map((card) => card.hbmMB)).toEqual([
      { used: 26838, total: 32768 },
      { used: 29356, total: 32768 },
    ]);
    expect(parsed.cards[1]?.powerW).toBe(87);
    expect(parsed.processTableSeen).toBe(false);
  });

  it('busy and idle in one table (25.5.0): a process on NPU 0, "No running processes" for NPU 1', () => {
    const parsed = info('npu-smi-info-910b3-2card-25.5.0-mixed-procs.txt');
    expect(parsed.processes.map((process) => [process.npu, process.pid, process.name, process.memoryMB])).toEqual([[0, 1538118, 'python', 60]]);
    expect(parsed.idleNpus).toEqual([1]);
    expect(parsed.cards[0]?.powerW).toBe(100);
    expect(parsed.cards[1]?.hbmMB).toEqual({ used: 59048, total: 65536 });
  });

  it('trailing spaces on every line (23.0.2.1, 910B2C)', () => {
    const parsed = info('npu-smi-info-910b2c-23.0.2.1-procs.txt');
    expect(parsed.cards.map((card) => [card.name, card.powerW, card.hbmMB?.used, card.busId])).toEqual([
      ['910B2C', 88.6, 20701, '0000:5A:00.0'],
      ['910B2C', 99.6, 20687, '0000:19:00.0'],
    ]);
    expect(parsed.processes.map((process) => [process.npu, process.pid, process.name, process.memoryMB])).toEqual([[0, 124528, 'python3.8', 17400]]);
  });

  it('the misaligned wide frame (25.2.3, in a container): card 3 only', () => {
    const parsed = info('npu-smi-info-910b3-25.2.3-wide-layout-container.txt');
    expect(parsed.cards.map((card) => [card.npu, card.name, card.powerW, card.temperatureC, card.hbmMB])).toEqual([[3, '910B3', 92.8, 36, { used: 3198, total: 65536 }]]);
    expect(parsed.idleNpus).toEqual([3]);
  });

  it('A3 at 26.0.rc2, the widest layout: two chips per NPU, Phy-ID, power "-" on the second chip', () => {
    const parsed = info('npu-smi-info-a3-26.0.rc2-widest-layout-EXCERPT.txt');
    expect(parsed.cards.map((card) => [card.npu, card.chip, card.device, card.powerW, card.hbmMB?.used, card.busId])).toEqual([
      [0, 0, 0, 162.6, 3419, '0000:9D:00.0'],
      [0, 1, 1, null, 2874, '0000:9F:00.0'],
    ]);
    expect(parsed.cards.every((card) => card.name === 'Ascend910' && card.hbmMB?.total === 65536)).toBe(true);
  });

  it('A3 at 25.3.rc1.b020: the build suffix stays in the version', () => {
    const parsed = info('npu-smi-info-a3-ascend910-25.3.rc1.b020-docstring.txt');
    expect(parsed.driverVersion).toBe('25.3.rc1.b020');
    expect(parsed.cards.map((card) => [card.chip, card.powerW, card.hbmMB?.used])).toEqual([
      [0, 161.9, 3099],
      [1, null, 2885],
    ]);
    expect(parsed.idleNpus).toEqual([0]);
  });

  it('the old 21.0.2 layout (910A): no Hugepages column, DDR then HBM, cards 1 and 4', () => {
    const parsed = info('npu-smi-info-910a-21.0.2-old-layout.txt');
    expect(parsed.cards.map((card) => [card.npu, card.name, card.powerW, card.temperatureC, card.hugepages, card.memoryMB, card.hbmMB, card.busId])).toEqual([
      [1, '910A', 64.3, 56, null, { used: 1809, total: 15079 }, { used: 0, total: 32768 }, '0000:3B:00.0'],
      [4, '910A', 65.6, 58, null, { used: 1809, total: 15079 }, { used: 0, total: 32768 }, '0000:86:00.0'],
    ]);
    expect(parsed.processTableSeen).toBe(false);
  });

  it('1st-gen 910 printing "910B" (24.1.0, cut before the process table): DDR in use, HBM of 32768', () => {
    const parsed = info('npu-smi-info-910a-8card-24.1.0-truncated.txt');
    expect(parsed.cards).toHaveLength(8);
    expect(parsed.cards[0]).toMatchObject({ name: '910B', powerW: 70, memoryMB: { used: 1197, total: 13553 }, hbmMB: { used: 1365, total: 32768 } });
    expect(parsed.cards[3]).toMatchObject({ npu: 3, memoryMB: { used: 2472, total: 15567 }, hbmMB: { used: 3, total: 32768 }, busId: '0000:01:00.0' });
    expect(parsed.processTableSeen).toBe(false);
  });

  it('310 (23.0.0, wide 310 frame): Chip/Device, memory without HBM, hugepages of 969', () => {
    const parsed = info('npu-smi-info-310-23.0.0-wide-layout.txt');
    expect(brief(parsed.cards[0])).toEqual({
      npu: 0,
      chip: 0,
      device: 0,
      name: '310',
      health: 'OK',
      powerW: 12.8,
      temperatureC: 61,
      hugepages: { used: 0, total: 969 },
      aicorePercent: 0,
      memoryMB: { used: 577, total: 7759 },
      hbmMB: null,
      busId: '0000:01:00.0',
    });
    expect(parsed.idleNpus).toEqual([0]);
  });

  it('310B4 in Alarm with bus id NA', () => {
    const parsed = info('npu-smi-info-310b4-23.0.0-ALARM.txt');
    expect(parsed.cards[0]).toMatchObject({ name: '310B4', health: 'Alarm', busId: null, powerW: 0, temperatureC: 65, hugepages: { used: 15, total: 15 }, memoryMB: { used: 3628, total: 15609 } });
  });

  it('310P3 in slot 6 (25.3.rc1): power NA', () => {
    const parsed = info('npu-smi-info-310p3-25.3.rc1-power-NA.txt');
    expect(parsed.cards[0]).toMatchObject({ npu: 6, powerW: null, temperatureC: 50, memoryMB: { used: 1839, total: 21525 }, busId: '0000:84:00.0' });
    expect(parsed.idleNpus).toEqual([6]);
  });

  it('310P3 Duo (24.1.0.1): two chips per card, device ids 0–3, one process per chip', () => {
    const parsed = info('npu-smi-info-310p3-duo-24.1.0.1-procs.txt');
    expect(parsed.cards.map((card) => [card.npu, card.chip, card.device, card.powerW, card.hugepages?.used, card.memoryMB])).toEqual([
      [1, 0, 0, null, 7210, { used: 16302, total: 44280 }],
      [1, 1, 1, null, 7210, { used: 15543, total: 43693 }],
      [2, 0, 2, null, 17057, { used: 35563, total: 44280 }],
      [2, 1, 3, null, 16823, { used: 35204, total: 43693 }],
    ]);
    expect(parsed.processes.map((process) => [process.npu, process.chip, process.pid, process.name, process.memoryMB])).toEqual([
      [1, 0, 3277562, 'mindie_llm_back', 14513],
      [1, 1, 3277565, 'mindie_llm_back', 14513],
      [2, 0, 3034986, 'mindie_llm_back', 34207],
      [2, 1, 3034989, 'mindie_llm_back', 33740],
    ]);
  });
});

describe('parseNpuSmiInfo on damaged output', () => {
  const idle = fixtureText('npu-smi/npu-smi-info-910b3-8card-24.1.0-idle.txt');

  it('reads CRLF output (a pty) the same as LF', () => {
    const crlf = parseNpuSmiInfo(idle.replaceAll('\n', '\r\n'));
    const lf = parseNpuSmiInfo(idle);
    expect(crlf.cards.map(brief)).toEqual(lf.cards.map(brief));
    expect(crlf.idleNpus).toEqual(lf.idleNpus);
  });

  it('reports nothing found in empty output and in an error message', () => {
    for (const text of ['', '\n\n', 'dcmi module initialize failed. ret is -8005\n']) {
      const parsed = parseNpuSmiInfo(text);
      expect(parsed.cards).toEqual([]);
      expect(parsed.driverVersion).toBeNull();
      expect(parsed.problems.map((problem) => problem.reason)).toEqual(['no "npu-smi … Version:" line', 'no NPU rows']);
    }
  });

  it('keeps an NPU row whose chip row was cut off, and says so', () => {
    const cut = idle.split('\n').slice(0, 7).join('\n');
    const parsed = parseNpuSmiInfo(cut);
    expect(parsed.cards.map((card) => [card.npu, card.chip, card.health, card.hbmMB])).toEqual([[0, null, 'OK', null]]);
    expect(parsed.problems).toEqual([{ line: 7, reason: 'NPU 0 has no chip row' }]);
  });

  it('flags rows it cannot read instead of guessing', () => {
    const text = [
      '| npu-smi 24.1.0   Version: 24.1.0 |',
      '| garbage row |',
      '| 0   | 0000:C1:00.0 | 0  0 / 0  3387 / 65536 |',
      '| 1     1                   | 0000:9F:00.0  | 0                    0    / 0                2874 / 65536            |',
      '| x | y | z |',
    ].join('\n');
    const parsed = parseNpuSmiInfo(text);
    expect(parsed.cards).toEqual([]);
    expect(parsed.problems).toEqual([
      { line: 2, reason: 'unrecognised row' },
      { line: 3, reason: 'chip row without an NPU row' },
      { line: 4, reason: 'chip row without an NPU row' },
      { line: 5, reason: 'unrecognised row' },
      { line: 0, reason: 'no NPU rows' },
    ]);
  });

  it('flags a process row it cannot read', () => {
    const text = idle.replace('| No running processes found in NPU 7                                                            |', '| seven       | pid?          | python                   | 12                      |');
    expect(parseNpuSmiInfo(text).problems).toEqual([{ line: 48, reason: 'unrecognised process row' }]);
  });

  it('reads a process with an empty name (vllm-ascend#5876)', () => {
    const text = idle.replace(
      '| No running processes found in NPU 2                                                            |',
      '| 2       0                 | 14414         |                          | 3200                    |',
    );
    const parsed = parseNpuSmiInfo(text);
    expect(parsed.processes.map((process) => [process.npu, process.pid, process.name, process.memoryMB])).toEqual([[2, 14414, '', 3200]]);
    expect(parsed.idleNpus).toEqual([0, 1, 3, 4, 5, 6, 7]);
  });
});

describe('parseNpuSmiList (npu-smi info -l)', () => {
  it('reads Total Count and one record per NPU', () => {
    const list = parseNpuSmiList(fixtureText('npu-smi/npu-smi-info-l-8card-910b4.txt'));
    expect(list.totalCount).toBe(8);
    expect(list.totalLine).toBe('Total Count                    : 8');
    expect(list.npus).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, chipCount: 1 })));
  });

  it('reads the guide’s `npu-smi info -l | grep Total` line alone', () => {
    expect(parseNpuSmiList('        Total Count                    : 8\n').totalCount).toBe(8);
  });

  it('finds no count in empty, error or table output', () => {
    for (const text of ['', 'bash: npu-smi: command not found', fixtureText('npu-smi/npu-smi-info-910b3-8card-24.1.0-idle.txt')]) {
      expect(parseNpuSmiList(text)).toEqual({ totalCount: null, totalLine: null, npus: [] });
    }
  });
});

/** The blocks of npu-smi-errors.txt: the lines npu-smi printed, without comments, prompts or other tools' logs. */
function errorBlocks(): string[] {
  return fixtureText('npu-smi/npu-smi-errors.txt')
    .split(/^# ---- \d\).*$/m)
    .slice(1)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line !== '' && !/^(#|root@|\[ERROR\])/.test(line))
        .join('\n'),
    );
}

describe('classifyNpuSmiError (npu-smi-errors.txt)', () => {
  it('tells every recorded failure apart', () => {
    const blocks = errorBlocks();
    expect(blocks).toHaveLength(7);
    // The sources give no exit status for the DCMI errors, only that it is not 0; a loader or shell error is 127.
    const codes = [1, 1, 1, 1, 127, 127, 127];
    const results = blocks.map((block, index) => classifyNpuSmiError('', block, codes[index] ?? 1));
    expect(results.map((result) => [result?.kind, result?.dcmiCode])).toEqual([
      ['device-in-use', -8020],
      ['dcmi-init-failed', -8005],
      ['dcmi-init-failed', -8005],
      ['not-root', -8005],
      ['driver-libraries-missing', null],
      ['not-installed', null],
      ['not-a-file', null],
    ]);
    expect(results[0]?.evidence).toBe('dcmi model initialized failed, because the device is used. ret is -8020');
    expect(results[0]?.message.en).toContain('held by another container');
    expect(results[0]?.advice.zh).toContain('释放被挂载的NPU');
    expect(results[3]?.advice.en).toContain('log in as root');
    expect(results[4]?.advice.zh).toContain('driver及npu-smi需同时挂载至容器');
    expect(results[6]?.advice.en).toContain('docker created a directory');
  });

  it('reads bash’s "Is a directory" like busybox’s "Permission denied"', () => {
    expect(classifyNpuSmiError('', 'bash: /usr/local/bin/npu-smi: Is a directory', 126)?.kind).toBe('not-a-file');
  });

  it('names other DCMI codes, known or not', () => {
    expect(classifyNpuSmiError('', 'dcmi module initialize failed. ret is -8012', 1)).toMatchObject({ kind: 'dcmi-error', dcmiCode: -8012, message: { en: 'The device is not ready yet (-8012); try again shortly.' } });
    expect(classifyNpuSmiError('', 'dcmi module initialize failed. ret is -8999', 1)?.message.en).toBe('The NPU driver returned error -8999.');
  });

  it('returns null for a working npu-smi, and a generic failure for an unknown one', () => {
    expect(classifyNpuSmiError(fixtureText('npu-smi/npu-smi-info-910b4-8card-25.0.rc1.1-idle.txt'), '', 0)).toBeNull();
    expect(classifyNpuSmiError('', '', 0)).toBeNull();
    expect(classifyNpuSmiError('', 'Segmentation fault', 139)).toMatchObject({ kind: 'failed', evidence: 'Segmentation fault', message: { en: 'npu-smi failed (exit status 139).' } });
    expect(classifyNpuSmiError('', '', null)?.kind).toBe('failed');
  });
});
