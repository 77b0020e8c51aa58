import { describe, expect, it } from 'vitest';
import { serverFieldIssues, fieldIssues } from '../../../renderer/src/features/hosts/formIssues';
import { formValuesOf, NEW_HOST, validateHostForm } from '../../../renderer/src/features/hosts/hostForm';
import type { HostFormValues } from '../../../renderer/src/features/hosts/hostForm';

const values = (patch: Partial<HostFormValues> = {}): HostFormValues => ({ ...NEW_HOST, name: 'devbox', host: '192.168.0.12', ...patch });

describe('the host form', () => {
  it('starts as a DevServer is reached: root on port 22, automatic login', () => {
    expect(NEW_HOST).toMatchObject({ port: '22', user: 'root', auth: 'auto', jump: [] });
  });

  it('turns what was typed into the profile fields the main process takes', () => {
    const result = validateHostForm(values({ port: ' 2222 ', host: ' 10.0.0.1 ', identityFile: '  ', jump: ['ops@jump:2200'] }), []);
    expect(result).toEqual({ ok: true, fields: { name: 'devbox', host: '10.0.0.1', port: 2222, user: 'root', auth: 'auto', identityFile: null, jump: ['ops@jump:2200'] } });
  });

  it('round-trips a saved profile', () => {
    const fields = { name: 'a', host: '[::1]', port: 22, user: 'root', auth: 'key' as const, identityFile: '/k', jump: ['b'] };
    expect(validateHostForm(formValuesOf(fields), ['b'])).toEqual({ ok: true, fields });
  });

  it('names each wrong field, with the rule the schema broke', () => {
    const result = validateHostForm(values({ name: ' ', host: 'bad host', port: '70000', user: '-x' }), []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual({ name: { key: 'nameRequired' }, host: { key: 'hostFormat' }, port: { key: 'port' }, user: { key: 'userFormat' } });
  });

  it('refuses a port that is not a whole number, and an empty one', () => {
    for (const port of ['', 'abc', '22.5', '0', '-1']) {
      const result = validateHostForm(values({ port }), []);
      expect(result.ok ? null : result.issues.port).toEqual({ key: 'port' });
    }
  });

  it('takes a jump host that names a saved host or is [user@]host[:port], and nothing else', () => {
    expect(validateHostForm(values({ jump: ['bastion box'] }), ['bastion box']).ok).toBe(true);
    expect(validateHostForm(values({ jump: ['ops@[fe80::1]:2200', 'jump.example.com'] }), []).ok).toBe(true);
    const result = validateHostForm(values({ jump: ['ok.example', 'bastion box', ''] }), []);
    expect(result.ok ? null : result.issues).toEqual({ 'jump.1': { key: 'jumpFormat' }, 'jump.2': { key: 'jumpEntryRequired' } });
  });

  it('translates length limits with their number', () => {
    const result = validateHostForm(values({ name: 'x'.repeat(65), jump: ['a', 'b', 'c', 'd', 'e'] }), []);
    expect(result.ok ? null : result.issues).toMatchObject({ name: { key: 'tooLong', max: 64 }, jump: { key: 'jumpTooMany', max: 4 } });
  });
});

describe('schema problems', () => {
  it('keep the schema’s own words for a rule the UI has no sentence for', () => {
    expect(fieldIssues([{ path: ['auth'], code: 'invalid_value', message: 'Invalid option' }])).toEqual({ auth: { text: 'Invalid option' } });
  });

  it('are read back from the dispatcher’s invalid-input message, per field', () => {
    const message = 'hosts:update: fields.port: Too big: expected number to be <=65535; fields.jump.1: Too small; id: Invalid string';
    expect(serverFieldIssues(message, ['port', 'jump'])).toEqual({
      issues: { port: { text: 'Too big: expected number to be <=65535' }, 'jump.1': { text: 'Too small' } },
      rest: 'id: Invalid string',
    });
    expect(serverFieldIssues('hosts:add: Invalid input', ['port'])).toEqual({ issues: {}, rest: 'Invalid input' });
  });
});
