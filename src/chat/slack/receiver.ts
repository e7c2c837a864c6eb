/**
 * HTTP mode without a second server: a Bolt `Receiver` whose requests come from the service's own
 * HTTP server as a route (POST /slack/events). Every request is signature-checked with Bolt's own
 * verifier (v0 HMAC-SHA256 over `v0:timestamp:body`, stale timestamps refused) before anything is
 * parsed; the HTTP answer is whatever the listener gave `ack()` (the ephemeral reply inline).
 */
import { isValidSlackRequest, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Clock } from '../../clock.js';
import { asWirewatchError } from '../../errors.js';
import type { HttpRequest, HttpResponse, HttpRoute } from '../../http/server.js';
import type { Logger } from '../../log.js';

export const EVENTS_PATH = '/slack/events';
/** Slack gives up after 3 s; an event not acknowledged by then is answered 404, as Bolt does. */
export const DEFAULT_UNACKED_TIMEOUT_MS = 3001;

export interface RouteReceiverOptions {
  signingSecret: string;
  clock: Clock;
  logger: Logger;
  unackedTimeoutMs?: number;
}

type Body = Record<string, unknown>;

function json(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** What `ack(response)` becomes on the wire, as Bolt's HTTP receivers send it. */
export function ackResponse(response: unknown): HttpResponse {
  if (response === undefined || response === null || response === '') return { status: 200, body: '' };
  if (typeof response === 'string') return { status: 200, body: response };
  return json(200, response);
}

/** The body as Bolt expects it: form fields (an interactivity `payload` decoded), or JSON. */
export function parseBody(contentType: string | undefined, raw: string): Body {
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Body;
  const fields = Object.fromEntries(new URLSearchParams(raw));
  return typeof fields['payload'] === 'string' ? (JSON.parse(fields['payload']) as Body) : fields;
}

export class RouteReceiver implements Receiver {
  readonly route: HttpRoute;
  private app: App | undefined;
  private accepting = false;

  constructor(private readonly options: RouteReceiverOptions) {
    this.route = { method: 'POST', path: EVENTS_PATH, handle: (request) => this.handle(request) };
  }

  init(app: App): void {
    this.app = app;
  }

  /** Called by `App.start()` once the app is initialised: from now on requests are processed. */
  start(): Promise<void> {
    this.accepting = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.accepting = false;
    return Promise.resolve();
  }

  private verified(request: HttpRequest): boolean {
    const signature = request.headers['x-slack-signature'];
    const timestamp = request.headers['x-slack-request-timestamp'];
    if (signature === undefined || timestamp === undefined || !/^\d{1,15}$/.test(timestamp)) return false;
    return isValidSlackRequest({
      signingSecret: this.options.signingSecret,
      body: request.body.toString('utf8'),
      headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': Number(timestamp) },
      nowMilliseconds: this.options.clock.now(),
    });
  }

  private async handle(request: HttpRequest): Promise<HttpResponse> {
    const { logger } = this.options;
    if (!this.verified(request)) {
      logger.info({ path: request.path }, 'Slack request refused: signature check failed');
      return { status: 401, body: 'invalid request signature' };
    }
    const app = this.app;
    if (!app || !this.accepting) return { status: 503, body: 'not ready' };
    let body: Body;
    try {
      body = parseBody(request.headers['content-type'], request.body.toString('utf8'));
    } catch {
      return { status: 400, body: 'body is neither a form nor JSON' };
    }
    if (body['ssl_check'] !== undefined) return { status: 200, body: '' };
    if (body['type'] === 'url_verification') return json(200, { challenge: body['challenge'] });
    return this.dispatch(app, body, request);
  }

  private dispatch(app: App, body: Body, request: HttpRequest): Promise<HttpResponse> {
    const { logger } = this.options;
    const keys = { team_id: stringField(body, 'team_id'), channel_id: stringField(body, 'channel_id'), user_id: stringField(body, 'user_id') };
    return new Promise<HttpResponse>((resolve) => {
      let settled = false;
      const settle = (response: HttpResponse) => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        resolve(response);
        return true;
      };
      const timer = setTimeout(() => {
        if (settle({ status: 404, body: '' })) logger.error(keys, 'a Slack request was not acknowledged within 3 seconds');
      }, this.options.unackedTimeoutMs ?? DEFAULT_UNACKED_TIMEOUT_MS);
      const retryNum = request.headers['x-slack-retry-num'];
      const event: ReceiverEvent = {
        body,
        ack: (response?: unknown) => {
          if (!settle(ackResponse(response))) logger.warn(keys, 'ack() called again or too late; ignored');
          return Promise.resolve();
        },
        ...(retryNum !== undefined && /^\d+$/.test(retryNum) ? { retryNum: Number(retryNum) } : {}),
        ...(request.headers['x-slack-retry-reason'] !== undefined ? { retryReason: request.headers['x-slack-retry-reason'] } : {}),
      };
      app.processEvent(event).then(
        () => {
          if (settle({ status: 404, body: '' })) logger.warn(keys, 'no listener acknowledged a Slack request');
        },
        (error: unknown) => {
          const coded = asWirewatchError(error);
          logger.error({ ...keys, code: coded.code, err: coded }, 'processing a Slack request failed');
          settle({ status: 500, body: `internal error (${coded.code})` });
        },
      );
    });
  }
}

function stringField(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}
