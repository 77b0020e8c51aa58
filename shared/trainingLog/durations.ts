// Elapsed-time strings: LLaMA-Factory's `0:09:01` and `7 days, 4:57:16` (Python timedelta), ms-swift's
// `1h 6m 5s`. Only a handful per record, so they are decoded and matched as text.

const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86400, day: 86400, days: 86400, h: 3600, m: 60, min: 60, s: 1 };

/** Seconds, or NaN when `text` is not a duration. */
export function parseDuration(text: string): number {
  const clock = /^\s*(?:(\d+)\s+days?,\s*)?(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$/.exec(text);
  if (clock) return Number(clock[1] ?? 0) * 86400 + Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4]);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(days?|d|h|min|m|s)\b/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('').replace(/\s+/g, '') !== text.replace(/\s+/g, '')) return NaN;
  return parts.reduce((sum, part) => sum + Number(part[1]) * (UNIT_SECONDS[part[2] ?? ''] ?? NaN), 0);
}
