/**
 * YOLO class names: `classes.txt` / darknet's `obj.names` (one name per line, class 0 first) or
 * the `names:` of an Ultralytics `data.yaml`, as a list (`[a, b]` or `- a` lines) or a map
 * (`0: a` lines or `{0: a}`). Only `names:` is read, with the YAML that such files use.
 */
export function parseClassNames(text: string, fileName: string): { names: string[] } | { error: string } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return /\.ya?ml$/i.test(fileName) ? parseYamlNames(body) : { names: parseNameLines(body) };
}

function parseNameLines(text: string): string[] {
  const names = text.split(/\r?\n/).map((line) => line.trim());
  while (names.length && names[names.length - 1] === '') names.pop();
  return names;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replaceAll("''", "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value.slice(1, -1);
    }
  }
  return value;
}

/** Drops a ` # comment` that is not inside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let k = 0; k < line.length; k++) {
    const char = line[k];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (k === 0 || /\s/.test(line[k - 1] ?? ''))) return line.slice(0, k);
  }
  return line;
}

/** Splits the inside of `[...]` or `{...}` on top-level commas, quotes respected. */
function splitFlow(inner: string): string[] {
  const items: string[] = [];
  let quote = '';
  let current = '';
  for (const char of inner) {
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === ',') {
      items.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current.trim()) items.push(current);
  return items;
}

function namesFromMap(entries: Array<[string, string]>): { names: string[] } | { error: string } {
  const names: string[] = [];
  for (const [key, value] of entries) {
    if (!/^\d+$/.test(key.trim())) return { error: `names: has the key "${key.trim()}"; class ids must be 0, 1, 2…` };
    names[Number(key.trim())] = unquote(value);
  }
  return { names: Array.from(names, (name) => name ?? '') };
}

function splitPair(entry: string): [string, string] {
  const colon = entry.indexOf(':');
  return colon < 0 ? [entry, ''] : [entry.slice(0, colon), entry.slice(colon + 1)];
}

function parseYamlNames(text: string): { names: string[] } | { error: string } {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^names\s*:/.test(line));
  if (start < 0) return { error: 'no top-level "names:" in the YAML file' };
  const rest = stripComment((lines[start] ?? '').replace(/^names\s*:/, '')).trim();
  if (rest.startsWith('[') || rest.startsWith('{')) {
    const close = rest.startsWith('[') ? ']' : '}';
    let flow = rest;
    for (let k = start + 1; !flow.trimEnd().endsWith(close) && k < lines.length; k++) flow += ` ${stripComment(lines[k] ?? '').trim()}`;
    if (!flow.trimEnd().endsWith(close)) return { error: `names: opens with ${rest[0]} but never closes it` };
    const items = splitFlow(flow.trim().slice(1, -1));
    return close === ']' ? { names: items.map(unquote) } : namesFromMap(items.map(splitPair));
  }
  if (rest) return { error: 'names: must be a list or a map of class names' };
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const content = stripComment(line);
    if (!content.trim()) continue;
    if (!/^\s/.test(content)) break;
    block.push(content.trim());
  }
  if (block.length && block.every((line) => line.startsWith('-'))) return { names: block.map((line) => unquote(line.slice(1))) };
  if (block.length && block.every((line) => line.includes(':'))) return namesFromMap(block.map(splitPair));
  return { error: 'names: must be followed by "- name" lines or "0: name" lines' };
}
