// UTF-8 by hand: shared/ has no TextDecoder/TextEncoder (lib is ES2022 only), and only short regions
// (a failure line, an unseen metric name) are ever decoded.

const REPLACEMENT = 0xfffd;

/** Decodes `bytes[start, end)` the way TextDecoder does (WHATWG "UTF-8 decode"): each maximal
 * invalid or cut-off sequence becomes one U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const units: number[] = [];
  let k = start;
  while (k < end) {
    const lead = bytes[k++] ?? 0;
    if (lead < 0x80) {
      units.push(lead);
      continue;
    }
    let needed = 0;
    let code = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      needed = 1;
      code = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      code = lead & 0x0f;
      if (lead === 0xe0) lower = 0xa0;
      else if (lead === 0xed) upper = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      code = lead & 0x07;
      if (lead === 0xf0) lower = 0x90;
      else if (lead === 0xf4) upper = 0x8f;
    } else {
      units.push(REPLACEMENT);
      continue;
    }
    let valid = true;
    for (let seen = 0; seen < needed; seen++) {
      const next = bytes[k];
      if (k >= end || next === undefined || next < lower || next > upper) {
        // The byte that broke the sequence is read again as the start of the next one.
        valid = false;
        break;
      }
      code = (code << 6) | (next & 0x3f);
      lower = 0x80;
      upper = 0xbf;
      k++;
    }
    if (!valid) units.push(REPLACEMENT);
    else if (code >= 0x10000) {
      code -= 0x10000;
      units.push(0xd800 + (code >> 10), 0xdc00 + (code & 0x3ff));
    } else units.push(code);
  }
  let text = '';
  for (let j = 0; j < units.length; j += 4096) text += String.fromCharCode(...units.slice(j, j + 4096));
  return text;
}

/** Encodes text as UTF-8 (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    let code = char.codePointAt(0) ?? REPLACEMENT;
    if (code >= 0xd800 && code <= 0xdfff) code = REPLACEMENT;
    if (code < 0x80) out.push(code);
    else if (code < 0x800) out.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) out.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else out.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Whether `bytes[start, end)` is well-formed UTF-8 byte by byte: returns how many bytes are not. */
export function countMalformedUtf8(bytes: Uint8Array, start: number, end: number): number {
  let bad = 0;
  let k = start;
  while (k < end) {
    const lead = bytes[k] ?? 0;
    if (lead < 0x80) {
      k++;
      continue;
    }
    const length = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
    let ok = length > 0;
    // A sequence cut by the end of the window is not evidence of binary content.
    for (let j = 1; ok && j < length && k + j < end; j++) if (((bytes[k + j] ?? 0) & 0xc0) !== 0x80) ok = false;
    if (ok) k += length;
    else {
      bad++;
      k++;
    }
  }
  return bad;
}
