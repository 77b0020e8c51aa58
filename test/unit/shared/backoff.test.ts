import { describe, expect, it } from 'vitest';
import { RECONNECT_MAX_MS, reconnectDelay } from '../../../shared/hosts/backoff';

describe('reconnect backoff', () => {
  it('doubles per attempt, caps at the maximum, and jitters within the upper half of the window', () => {
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(0, () => 1)).toBe(1000);
    expect(reconnectDelay(3, () => 0)).toBe(4000);
    expect(reconnectDelay(3, () => 1)).toBe(8000);
    expect(reconnectDelay(20, () => 1)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelay(20, () => 0)).toBe(RECONNECT_MAX_MS / 2);
  });
});
