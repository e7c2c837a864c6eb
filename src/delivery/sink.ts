import type { Alert } from '../alerts/alert.js';

/**
 * Where alerts go. The console sink prints them; the chat adapters (later) post them. A sink
 * throws when an alert did not arrive, so the pipeline can keep the story for the next cycle.
 */
export interface AlertSink {
  readonly name: string;
  deliver(alert: Alert): Promise<void>;
}
