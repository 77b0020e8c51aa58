import type { Messages } from '../../i18n/locales/en';

export type IssueKey = keyof Messages['issues'];

/** A field's problem: a translated sentence when we know the rule, else the schema's own words. */
export type FieldIssue = { key: IssueKey; max?: number } | { text: string };

/** By dotted path: `port`, `jump`, `jump.2`. */
export type FieldIssues = Readonly<Record<string, FieldIssue>>;

export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
  readonly maximum?: number | bigint;
}

/**
 * The shared schemas carry English messages; the UI speaks two languages, so the rules it knows
 * are shown in the user's language and anything else falls back to the schema's message.
 */
const RULES: Readonly<Record<string, Partial<Record<string, IssueKey>>>> = {
  name: { too_small: 'nameRequired' },
  host: { too_small: 'hostRequired', invalid_format: 'hostFormat' },
  port: { invalid_type: 'port', too_small: 'port', too_big: 'port' },
  user: { too_small: 'userRequired', invalid_format: 'userFormat' },
  'jump[]': { too_small: 'jumpEntryRequired' },
  localPath: { too_small: 'localPathRequired' },
  remotePath: { too_small: 'remotePathRequired' },
};

function describe(path: string, issue: SchemaIssue): FieldIssue {
  const field = path.replace(/\.\d+$/, '[]');
  const key = RULES[field]?.[issue.code];
  if (key) return { key };
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') return { key: field === 'jump' ? 'jumpTooMany' : 'tooLong', max: issue.maximum };
  return { text: issue.message };
}

/** The first problem of each field, as the schema found them. */
export function fieldIssues(issues: readonly SchemaIssue[]): FieldIssues {
  const byPath: Record<string, FieldIssue> = {};
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    byPath[path] ??= describe(path, issue);
  }
  return byPath;
}

/**
 * Splits the dispatcher's `invalid-input` message (`hosts:add: port: Too big…; host: …`) into
 * per-field problems; what names no known field is returned as one sentence.
 */
export function serverFieldIssues(message: string, fields: readonly string[]): { issues: FieldIssues; rest: string | null } {
  const issues: Record<string, FieldIssue> = {};
  const rest: string[] = [];
  for (const part of message.replace(/^[a-z]+:[A-Za-z]+: /, '').split('; ')) {
    const match = /^([\w.]+): (.+)$/s.exec(part);
    // `hosts:update` nests the profile under `fields`.
    const path = match?.[1]?.replace(/^fields\./, '');
    if (match?.[2] && path && fields.includes(path.split('.')[0] ?? '')) issues[path] ??= { text: match[2] };
    else rest.push(part);
  }
  return { issues, rest: rest.length ? rest.join('; ') : null };
}
