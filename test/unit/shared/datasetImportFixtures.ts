import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConversionProblem } from '../../../shared/dataset/import/importTypes';

export function importFixture(name: string): string {
  return readFileSync(join('test/fixtures/dataset-import', name), 'utf8');
}

/** Problems as [severity, item, message] so a test can list them all in one literal. */
export function problemRows(problems: readonly ConversionProblem[]): Array<[string, string, string]> {
  return problems.map(({ severity, item, message }) => [severity, item, message]);
}
