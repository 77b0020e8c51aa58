import type { z } from 'zod';

/** A request/response method: its input is validated in the main process, and so is its result. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

/** A push from the main process to every renderer (progress, output streams, status changes). */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
}

export interface ContractShape {
  readonly methods: Readonly<Record<`${string}:${string}`, MethodSpec>>;
  readonly events: Readonly<Record<`${string}:on${string}`, EventSpec>>;
}

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { input, output };
}

export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { payload };
}

export type MethodName<C extends ContractShape> = keyof C['methods'] & string;
export type EventName<C extends ContractShape> = keyof C['events'] & string;

export type MethodInput<C extends ContractShape, M extends MethodName<C>> = C['methods'][M] extends MethodSpec<infer I, z.ZodType> ? z.input<I> : never;
export type MethodOutput<C extends ContractShape, M extends MethodName<C>> = C['methods'][M] extends MethodSpec<z.ZodType, infer O> ? z.output<O> : never;
export type EventPayload<C extends ContractShape, E extends EventName<C>> = C['events'][E] extends EventSpec<infer P> ? z.output<P> : never;

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type Domains<C extends ContractShape> = DomainOf<MethodName<C>> | DomainOf<EventName<C>>;

/** Methods without input are called with no argument. */
type CallSignature<I, O> = [I] extends [undefined] ? () => Promise<O> : (input: I) => Promise<O>;

export type Unsubscribe = () => void;

/**
 * The object the renderer sees: `api.settings.update(patch)`, `api.settings.onDidChange(listener)`.
 * Derived from the contract, so a method exists on it exactly when the contract has it.
 */
export type ApiOf<C extends ContractShape> = {
  [D in Domains<C>]: {
    [K in MethodName<C> as K extends `${D}:${infer A}` ? A : never]: CallSignature<MethodInput<C, K>, MethodOutput<C, K>>;
  } & {
    [K in EventName<C> as K extends `${D}:${infer A}` ? A : never]: (listener: (payload: EventPayload<C, K>) => void) => Unsubscribe;
  };
};

/** What one side of a transport can do: call a method by name, listen to an event by name. */
export interface Transport {
  invoke(method: string, input: unknown): Promise<CallResult>;
  subscribe(event: string, listener: (payload: unknown) => void): Unsubscribe;
}

export type CallResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export interface SerializedError {
  code: string;
  message: string;
}
