/** The lines of a paste, as the user sees them (a final line break ends the last line, it adds none). */
export function pasteLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line break makes a shell run what came before it, even a single line's: ask first. */
export function needsPasteConfirmation(text: string): boolean {
  return /[\r\n]/.test(text);
}

/** Input is sent in pieces the contract accepts, never splitting a surrogate pair. */
export function splitInput(data: string, limit: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (data.length - start > limit) {
    let end = start + limit;
    const last = data.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(data.slice(start, end));
    start = end;
  }
  pieces.push(data.slice(start));
  return pieces;
}
