import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionLog } from '../../../electron/main/services/terminal/sessionLog';
import { hostileStrings } from '../../support/hostileStrings';

const root = mkdtempSync(join(tmpdir(), 'qvl-session-log-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the session log', () => {
  it('writes the text it is given to a file only its owner can read, named by host, time and terminal', async () => {
    const dir = join(root, 'terminal-logs');
    const log = await SessionLog.create(dir, 'node 1 (Ascend)', 'b5b1c1e2-0000-4000-8000-000000000001', new Date('2025-06-01T08:30:05.123Z'));
    expect(log.path).toBe(join(dir, 'node_1_Ascend_-2025-06-01T08-30-05Z-b5b1c1e2-0000-4000-8000-000000000001.log'));
    log.write('$ ls\r\n');
    log.write('中文 ok\r\n');
    await log.close();
    await log.close();
    expect(readFileSync(log.path, 'utf8')).toBe('$ ls\r\n中文 ok\r\n');
    expect(statSync(log.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('keeps every host name inside the log folder', async () => {
    const dir = join(root, 'hostile');
    const names = [...hostileStrings(join(root, 'pwned')), '../../etc/passwd', '..', '.hidden', ''];
    for (const [index, name] of names.entries()) {
      const log = await SessionLog.create(dir, name, `id-${index}`, new Date(0));
      expect(dirname(log.path)).toBe(dir);
      await log.close();
    }
    const files = readdirSync(dir);
    expect(files).toHaveLength(names.length);
    for (const file of files) expect(file).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*-1970-01-01T00-00-00Z-id-\d+\.log$/);
  });
});
