import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../shared/audit/auditEntry';

describe('redactSecrets', () => {
  it('hides values that look like secrets and keeps the rest', () => {
    expect(redactSecrets('password=hunter2 user=root')).toBe('password=•••••• user=root');
    expect(redactSecrets('"api_key": "sk-123456"')).toBe('"api_key": "••••••"');
    expect(redactSecrets('token: abc.def')).toBe('token: ••••••');
    expect(redactSecrets('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x')).toBe('Authorization: Bearer ••••••');
    expect(redactSecrets('npu-smi info: OK, 8 cards')).toBe('npu-smi info: OK, 8 cards');
  });
});
