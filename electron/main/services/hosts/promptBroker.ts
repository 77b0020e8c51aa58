import { randomUUID } from 'node:crypto';
import type { PromptAnswer, PromptRequest } from '../../../../shared/hosts/prompts';

type Question = PromptRequest extends infer R ? (R extends PromptRequest ? Omit<R, 'promptId'> : never) : never;

/**
 * Carries a question to whichever window answers first and waits for it. Pending questions are
 * replayed to a window that connects late, and dropped when their connection attempt ends.
 */
export class PromptBroker {
  private readonly pending = new Map<string, { request: PromptRequest; resolve: (answer: PromptAnswer['answer']) => void }>();

  constructor(
    private readonly publish: (request: PromptRequest) => void,
    private readonly settled: (promptId: string) => void,
  ) {}

  ask(question: Question, signal?: AbortSignal): Promise<PromptAnswer['answer']> {
    const request = { ...question, promptId: randomUUID() } as PromptRequest;
    return new Promise((resolve) => {
      const settle = (answer: PromptAnswer['answer']) => {
        this.pending.delete(request.promptId);
        signal?.removeEventListener('abort', cancel);
        this.settled(request.promptId);
        resolve(answer);
      };
      const cancel = () => settle(null);
      if (signal?.aborted) return resolve(null);
      signal?.addEventListener('abort', cancel, { once: true });
      this.pending.set(request.promptId, { request, resolve: settle });
      this.publish(request);
    });
  }

  answer({ promptId, answer }: PromptAnswer): boolean {
    const entry = this.pending.get(promptId);
    entry?.resolve(answer);
    return entry !== undefined;
  }

  open(): PromptRequest[] {
    return [...this.pending.values()].map((entry) => entry.request);
  }
}
