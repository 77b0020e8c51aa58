import { ApiError } from './apiError';
import type { ApiOf, ContractShape, EventName, MethodName, Transport } from './contractTypes';

export interface ContractChannels<C extends ContractShape> {
  readonly methods: readonly MethodName<C>[];
  readonly events: readonly EventName<C>[];
}

/**
 * Builds the typed `api` object from the contract's names and a transport. The preload runs it
 * over Electron IPC and the browser build runs it over a WebSocket, so renderer code cannot tell
 * the two apart. Plain nested objects of functions (no Proxy): contextBridge can only pass those.
 */
export function createBridge<C extends ContractShape>(channels: ContractChannels<C>, transport: Transport): ApiOf<C> {
  const api: Record<string, Record<string, unknown>> = {};
  const domain = (name: string): [Record<string, unknown>, string] => {
    const at = name.indexOf(':');
    const key = name.slice(0, at);
    api[key] ??= {};
    return [api[key], name.slice(at + 1)];
  };
  for (const name of channels.methods) {
    const [target, action] = domain(name);
    target[action] = async (input?: unknown) => {
      const result = await transport.invoke(name, input);
      if (!result.ok) throw ApiError.from(result.error);
      return result.value;
    };
  }
  for (const name of channels.events) {
    const [target, action] = domain(name);
    target[action] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${name} needs a listener function`);
      return transport.subscribe(name, listener);
    };
  }
  return api as ApiOf<C>;
}
