import OpenAI from 'openai';

/** Options of {@link createOpenAIClient}. */
export interface OpenAIClientOptions {
  apiKey: string;
  baseURL?: string | undefined;
  maxRetries: number;
  /** Per attempt, until the response headers arrive. */
  timeoutMs: number;
}

/** The SDK's client for one tenant's key. */
export function createOpenAIClient({ apiKey, baseURL, maxRetries, timeoutMs }: OpenAIClientOptions): OpenAI {
  // organization/project are given as null so that the OPENAI_ORG_ID/OPENAI_PROJECT_ID of the server's
  // environment, which the SDK would read, are never sent along with a tenant's key.
  return new OpenAI({ apiKey, baseURL, maxRetries, timeout: timeoutMs, organization: null, project: null });
}
