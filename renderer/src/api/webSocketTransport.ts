import { ApiError } from '../../../shared/api/apiError';
import type { CallResult, Transport } from '../../../shared/api/contractTypes';
import { WEB_API_PATH } from '../../../shared/api/wireProtocol';
import type { ServerMessage } from '../../../shared/api/wireProtocol';

export type LinkStatus = 'connected' | 'reconnecting' | 'lost';

interface Pending {
  resolve(result: CallResult): void;
}

const RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** After this many failed attempts in a row the server is gone (stopped, or restarted with a new token). */
const ATTEMPTS_BEFORE_LOST = 6;

/**
 * Browser mode's transport: one WebSocket to the local server, authenticated by the HttpOnly
 * cookie the server set when the tokened URL was opened. Reconnects on its own; calls made while
 * it is down wait for the link, calls in flight when it drops fail with `disconnected`.
 */
export class WebSocketTransport implements Transport {
  private socket: WebSocket | undefined;
  private open: Promise<WebSocket> | undefined;
  private nextId = 1;
  private failures = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(status: LinkStatus) => void>();

  constructor(private readonly url: string = defaultUrl()) {}

  connect(): Promise<WebSocket> {
    this.open ??= new Promise<WebSocket>((resolve) => this.attempt(resolve));
    return this.open;
  }

  async invoke(method: string, input: unknown): Promise<CallResult> {
    const socket = await this.connect();
    const id = this.nextId++;
    return new Promise<CallResult>((resolve) => {
      this.pending.set(id, { resolve });
      socket.send(JSON.stringify({ type: 'call', id, method, input }));
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private attempt(resolve: (socket: WebSocket) => void): void {
    const socket = new WebSocket(this.url);
    socket.addEventListener('open', () => {
      this.socket = socket;
      this.failures = 0;
      this.emitStatus('connected');
      resolve(socket);
    });
    socket.addEventListener('message', (event: MessageEvent<string>) => this.receive(event.data));
    socket.addEventListener('close', () => {
      const wasOpen = this.socket === socket;
      if (wasOpen) {
        this.socket = undefined;
        this.open = undefined;
        this.failPending();
      } else {
        this.failures++;
      }
      this.emitStatus(this.failures >= ATTEMPTS_BEFORE_LOST ? 'lost' : 'reconnecting');
      const delay = RETRY_DELAYS_MS[Math.min(this.failures, RETRY_DELAYS_MS.length - 1)] ?? 4000;
      if (wasOpen) setTimeout(() => void this.connect(), delay);
      else setTimeout(() => this.attempt(resolve), delay);
    });
  }

  private receive(data: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      pending?.resolve(message.result);
    } else if (message.type === 'event') {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload);
    }
  }

  private failPending(): void {
    const error = new ApiError('disconnected', 'The connection to the Qwen-VL Studio server dropped').toJSON();
    for (const pending of this.pending.values()) pending.resolve({ ok: false, error });
    this.pending.clear();
  }

  private emitStatus(status: LinkStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WEB_API_PATH}`;
}
