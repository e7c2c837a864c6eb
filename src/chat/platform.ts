/** What the service needs from a chat platform adapter (Discord now, Slack next). */
import type { AlertSink } from '../delivery/sink.js';
import type { HttpRoute } from '../http/server.js';

export interface ChatPlatform {
  /** Channel keys this platform serves start with it: "discord:". */
  prefix: string;
  sink: AlertSink;
  /** Routes it serves on the service's HTTP server (webhooks). */
  routes: HttpRoute[];
  /** Connects (a gateway, a socket); resolves once commands can arrive. */
  start(): Promise<void>;
  /** Stops taking commands and lets replies in flight finish. */
  stop(): Promise<void>;
  /**
   * Whether commands can arrive now (/readyz): the gateway or socket is up, or, for webhooks,
   * the platform has started. A reconnecting gateway is not connected.
   */
  connected(): boolean;
}
