import { ApiError } from './apiError';
import type { CallResult, ContractShape, EventSpec, MethodSpec, EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contractTypes';

/** Who is calling: the transport fills this in (an Electron frame, a WebSocket client). */
export interface CallContext {
  readonly clientId: string;
}

export type Handlers<C extends ContractShape> = {
  [M in MethodName<C>]: (input: MethodInput<C, M>, context: CallContext) => Promise<MethodOutput<C, M>> | MethodOutput<C, M>;
};

export interface Dispatcher {
  /** Validates the input, runs the handler, validates its result; never throws. */
  dispatch(method: string, input: unknown, context: CallContext): Promise<CallResult>;
}

export function createDispatcher<C extends ContractShape>(contract: C, handlers: Handlers<C>): Dispatcher {
  const specs: Readonly<Record<string, MethodSpec>> = contract.methods;
  return {
    async dispatch(method, input, context) {
      const spec = Object.hasOwn(specs, method) ? specs[method] : undefined;
      if (!spec) return failure(new ApiError('unknown-method', `Unknown method: ${String(method).slice(0, 80)}`));
      const parsed = spec.input.safeParse(input);
      if (!parsed.success) return failure(new ApiError('invalid-input', `${method}: ${parsed.error.issues.map(describeIssue).join('; ')}`));
      try {
        const handler = handlers[method as MethodName<C>] as (input: unknown, context: CallContext) => unknown;
        const value = await handler(parsed.data, context);
        const checked = spec.output.safeParse(value);
        if (!checked.success) return failure(new ApiError('invalid-output', `${method} returned an invalid result`));
        return { ok: true, value: checked.data };
      } catch (error) {
        return failure(error instanceof ApiError ? error : new ApiError('internal', error instanceof Error ? error.message : String(error)));
      }
    },
  };
}

function failure(error: ApiError): CallResult {
  return { ok: false, error: error.toJSON() };
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

export type EventListener = (event: string, payload: unknown) => void;

/** Services emit through the hub; each transport subscribes once and forwards to its clients. */
export interface EventHub<C extends ContractShape> {
  emit<E extends EventName<C>>(event: E, payload: EventPayload<C, E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub<C extends ContractShape>(contract: C): EventHub<C> {
  const listeners = new Set<EventListener>();
  const events: Readonly<Record<string, EventSpec>> = contract.events;
  return {
    emit(event, payload) {
      const parsed = events[event]?.payload.parse(payload);
      for (const listener of listeners) listener(event, parsed);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
