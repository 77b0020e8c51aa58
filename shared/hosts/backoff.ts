export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

/**
 * Exponential backoff with "equal jitter": half the window fixed, half random, so many clients
 * cut off by the same network blip do not come back in lockstep, yet none retries instantly.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const window = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(window / 2 + random() * (window / 2));
}
