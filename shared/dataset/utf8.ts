/** UTF-8 by hand: shared/ has neither TextEncoder nor TextDecoder (no DOM or Node types). */

/** Bytes of `text` in UTF-8; a lone surrogate counts as the 3 bytes of the U+FFFD it becomes. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}

/** Index of the first surrogate without its other half, or -1. Python writes undecodable bytes
 * of a file name (surrogateescape) as such surrogates, e.g. "caf\udce9.jpg". */
export function loneSurrogateIndex(text: string): number {
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code < 0xd800 || code > 0xdfff) continue;
    if (code <= 0xdbff && (text.charCodeAt(k + 1) & 0xfc00) === 0xdc00) k++;
    else return k;
  }
  return -1;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (what a strict
 * decoder stops at), or -1 when all of `bytes` is UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let k = 0;
  while (k < bytes.length) {
    const lead = bytes[k] ?? 0;
    if (lead < 0x80) {
      k++;
      continue;
    }
    let needed: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) lower = 0xa0;
      else if (lead === 0xed) upper = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) lower = 0x90;
      else if (lead === 0xf4) upper = 0x8f;
    } else return k;
    for (let seen = 1; seen <= needed; seen++) {
      const next = bytes[k + seen];
      if (next === undefined || next < lower || next > upper) return k;
      lower = 0x80;
      upper = 0xbf;
    }
    k += needed + 1;
  }
  return -1;
}
