import type { CaptureLeadInput, PublicBotConfig, StartConversationResponse } from '@chatbot/shared';

/** An answer of the public API that was not a success, with the platform's error code when it sent one. */
export class PublicApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a conversation's start tells the admin: the page it was opened on and the browser's language. */
export interface StartContext {
  referrer?: string;
  language?: string;
}

/** The public REST endpoints the widget calls (everything else goes over the socket). */
export class PublicApi {
  constructor(
    private readonly server: string,
    private readonly botId: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  config(): Promise<PublicBotConfig> {
    return this.request(`/api/public/bot/${encodeURIComponent(this.botId)}/config`, 'GET');
  }

  /** Continues the conversation of `visitorToken` when it is still open, else starts a new one. */
  start(visitorToken: string | null, context: StartContext): Promise<StartConversationResponse> {
    const body: StartContext = {};
    if (context.referrer) body.referrer = context.referrer.slice(0, 2048);
    // Sent as the browser says it: the server drops a tag it cannot read instead of refusing the start.
    if (context.language) body.language = context.language;
    return this.request(`/api/public/conversation/${encodeURIComponent(this.botId)}/start`, 'POST', {
      body,
      token: visitorToken,
    });
  }

  captureLead(conversationId: string, visitorToken: string, lead: CaptureLeadInput): Promise<unknown> {
    return this.request(
      `/api/public/conversation/${encodeURIComponent(conversationId)}/capture-lead`,
      'POST',
      { body: lead, token: visitorToken },
    );
  }

  private async request<T>(
    path: string,
    method: 'GET' | 'POST',
    options: { body?: unknown; token?: string | null } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(this.server + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'omit',
      });
    } catch {
      throw new PublicApiError(0, 'network_error', 'The server could not be reached.');
    }
    const body = (await response.json().catch(() => null)) as
      (T & { error?: { code?: string; message?: string } }) | null;
    if (!response.ok) {
      throw new PublicApiError(
        response.status,
        body?.error?.code ?? 'http_error',
        body?.error?.message ?? `HTTP ${response.status}`,
      );
    }
    return body as T;
  }
}
