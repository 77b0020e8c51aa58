import type { SshConfigImport } from '../../../../shared/api/contract';
import { HostProfileFields } from '../../../../shared/hosts/hostProfile';
import { fieldIssues } from './formIssues';
import type { FieldIssue } from './formIssues';
import { HOST_FORM_FIELDS } from './hostForm';
import type { HostFormField } from './hostForm';

type Candidate = SshConfigImport['candidates'][number];

export interface ImportRow {
  alias: string;
  candidate: Candidate;
  /** null when the entry breaks the profile rules (a user name with spaces, say). */
  fields: HostProfileFields | null;
  problem: { field: HostFormField | undefined; issue: FieldIssue } | null;
  /** A saved host already has this name: probably imported before. */
  exists: boolean;
}

export function importRows(result: SshConfigImport, savedNames: readonly string[]): ImportRow[] {
  return result.candidates.map((candidate) => {
    const { alias, ...fields } = candidate;
    const parsed = HostProfileFields.safeParse(fields);
    const [first] = parsed.success ? [] : Object.entries(fieldIssues(parsed.error.issues));
    const field = HOST_FORM_FIELDS.find((known) => first?.[0].split('.')[0] === known);
    return {
      alias,
      candidate,
      fields: parsed.success ? parsed.data : null,
      problem: first ? { field, issue: first[1] } : null,
      exists: savedNames.includes(fields.name),
    };
  });
}

/** Everything importable that is not already there. */
export function defaultSelection(rows: readonly ImportRow[]): Set<string> {
  return new Set(rows.filter((row) => row.fields && !row.exists).map((row) => row.alias));
}
