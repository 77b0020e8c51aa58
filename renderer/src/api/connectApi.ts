import { CHANNELS } from '../../../shared/api/channels';
import type { Api, Contract } from '../../../shared/api/contract';
import { createBridge } from '../../../shared/api/createBridge';
import type { LinkStatus } from './webSocketTransport';
import { WebSocketTransport } from './webSocketTransport';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    readonly api?: Api;
  }
}

export interface ConnectedApi {
  api: Api;
  /** Browser mode only: the state of the link to the local server. */
  onLinkStatus?: (listener: (status: LinkStatus) => void) => () => void;
}

/** The one place that knows which transport is in use; everything else just gets `api`. */
export function connectApi(): ConnectedApi {
  if (window.api) return { api: window.api };
  const transport = new WebSocketTransport();
  void transport.connect();
  return { api: createBridge<Contract>(CHANNELS, transport), onLinkStatus: (listener) => transport.onStatus(listener) };
}
