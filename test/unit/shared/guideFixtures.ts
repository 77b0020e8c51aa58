// Real outputs from test/fixtures/{npu-smi,docker}, as a command printed them: without the
// `# source:` provenance line, or one command's block of a multi-command transcript.

import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../fixtures/', import.meta.url);

/** The whole fixture minus its first `# source:` line. */
export function fixtureText(path: string): string {
  const text = readFileSync(new URL(path, FIXTURES), 'utf8');
  return text.startsWith('# source:') ? text.slice(text.indexOf('\n') + 1) : text;
}

/**
 * The lines recorded under the exact line `header`, up to the next command (`$ `), comment (`#`)
 * or exit status (`rc=`) line — the same cut the simulated DevServer replays.
 */
export function fixtureBlock(path: string, header: string): string {
  const lines = fixtureText(path).split('\n');
  const start = lines.indexOf(header);
  if (start < 0) throw new Error(`${path} has no line ${JSON.stringify(header)}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^(\$ |#|rc=)/.test(line));
  return `${(end < 0 ? rest : rest.slice(0, end)).join('\n')}\n`;
}

/** The exit status a transcript recorded right after `header`'s block (`rc=N`), if any. */
export function fixtureStatus(path: string, header: string): number | null {
  const lines = fixtureText(path).split('\n');
  const start = lines.indexOf(header);
  const status = lines.slice(start + 1).find((line) => /^(\$ |rc=)/.test(line));
  return status?.startsWith('rc=') ? Number(status.slice(3)) : null;
}
