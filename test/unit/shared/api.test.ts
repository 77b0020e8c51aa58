import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../../../shared/api/apiError';
import { CHANNELS, EVENT_CHANNELS, METHOD_CHANNELS } from '../../../shared/api/channels';
import { contract } from '../../../shared/api/contract';
import type { Contract } from '../../../shared/api/contract';
import { event, method } from '../../../shared/api/contractTypes';
import type { Transport } from '../../../shared/api/contractTypes';
import { createBridge } from '../../../shared/api/createBridge';
import { createDispatcher, createEventHub } from '../../../shared/api/dispatcher';

const testContract = {
  methods: {
    'math:add': method(z.object({ a: z.number(), b: z.number() }), z.number()),
    'math:fail': method(z.undefined(), z.number()),
    'math:lie': method(z.undefined(), z.number()),
  },
  events: { 'math:onDidAdd': event(z.object({ sum: z.number() })) },
} as const;
type TestContract = typeof testContract;
const testChannels = { methods: ['math:add', 'math:fail', 'math:lie'], events: ['math:onDidAdd'] } as const;

function inProcess() {
  const events = createEventHub(testContract);
  const calls: string[] = [];
  const dispatcher = createDispatcher(testContract, {
    'math:add': ({ a, b }, context) => {
      calls.push(context.clientId);
      events.emit('math:onDidAdd', { sum: a + b });
      return a + b;
    },
    'math:fail': () => {
      throw new ApiError('not-found', 'nothing here');
    },
    'math:lie': () => 'not a number' as unknown as number,
  });
  const transport: Transport = {
    invoke: (name, input) => dispatcher.dispatch(name, input, { clientId: 'test' }),
    subscribe: (name, listener) => events.subscribe((emitted, payload) => emitted === name && listener(payload)),
  };
  return { api: createBridge<TestContract>(testChannels, transport), dispatcher, calls };
}

describe('the API contract', () => {
  it('names exactly the methods and events that the channel lists give the preload', () => {
    expect(Object.keys(contract.methods).sort()).toEqual([...METHOD_CHANNELS].sort());
    expect(Object.keys(contract.events).sort()).toEqual([...EVENT_CHANNELS].sort());
    for (const name of [...METHOD_CHANNELS, ...EVENT_CHANNELS]) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
    for (const name of EVENT_CHANNELS) expect(name).toMatch(/:onDid[A-Z]/);
  });

  it('builds nested domain objects of functions from the names', () => {
    const api = createBridge<Contract>(CHANNELS, { invoke: async () => ({ ok: true, value: null }), subscribe: () => () => undefined });
    expect(Object.keys(api).sort()).toEqual(['app', 'audit', 'dataset', 'files', 'guide', 'hosts', 'logs', 'settings', 'terminal', 'transfers']);
    expect(Object.keys(api.settings).sort()).toEqual(['get', 'onDidChange', 'update']);
    expect(Object.keys(api.transfers).sort()).toEqual(['cancel', 'list', 'onDidUpdate', 'start']);
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
  });
});

describe('bridge and dispatcher', () => {
  it('round-trips a call and delivers the pushed event', async () => {
    const { api, calls } = inProcess();
    const sums: number[] = [];
    const off = api.math.onDidAdd(({ sum }) => sums.push(sum));
    await expect(api.math.add({ a: 2, b: 3 })).resolves.toBe(5);
    off();
    await api.math.add({ a: 1, b: 1 });
    expect(sums).toEqual([5]);
    expect(calls).toEqual(['test', 'test']);
  });

  it('rejects invalid input before the handler runs, naming the field', async () => {
    const { api, calls } = inProcess();
    const error = await api.math.add({ a: 1, b: 'two' as unknown as number }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid-input');
    expect((error as ApiError).message).toContain('b:');
    expect(calls).toEqual([]);
  });

  it('keeps the code of an ApiError thrown by a handler', async () => {
    const { api } = inProcess();
    await expect(api.math.fail()).rejects.toMatchObject({ code: 'not-found', message: 'nothing here' });
  });

  it('refuses to return a result that breaks the contract', async () => {
    const { api } = inProcess();
    await expect(api.math.lie()).rejects.toMatchObject({ code: 'invalid-output' });
  });

  it('answers unknown and prototype names with unknown-method', async () => {
    const { dispatcher } = inProcess();
    for (const name of ['math:nope', '__proto__', 'constructor', 'toString']) {
      await expect(dispatcher.dispatch(name, undefined, { clientId: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('validates event payloads at the source', () => {
    const hub = createEventHub(testContract);
    expect(() => hub.emit('math:onDidAdd', { sum: 'x' as unknown as number })).toThrow();
  });
});
