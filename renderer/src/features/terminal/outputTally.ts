// What a terminal has shown, summed up cheaply: the number of UTF-16 code units xterm has parsed
// and their running FNV-1a 32 hash. Anyone holding the original text (the file a command printed)
// can compute the same pair and so check that nothing was lost or reordered on the way.

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32 over UTF-16 code units, continuing from `seed` (another run's result) when given. */
export function fnv1a32(text: string, seed: number = FNV_OFFSET_BASIS): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

export function formatHash(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}

export class OutputTally {
  chars = 0;
  hash = FNV_OFFSET_BASIS;

  add(text: string): void {
    this.chars += text.length;
    this.hash = fnv1a32(text, this.hash);
  }
}
