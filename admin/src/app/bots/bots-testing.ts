import { botDefaults, type BotView } from '@chatbot/shared';

export const BOT_ID = '00000000-0000-4000-8000-0000000000b1';

/** A bot as the API presents it, with the defaults a new bot gets. */
export function botView(changes: Partial<BotView> = {}): BotView {
  return {
    id: BOT_ID,
    name: 'Support desk',
    ...structuredClone(botDefaults),
    openaiApiKeyLast4: null,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-02T11:30:00.000Z',
    ...changes,
  };
}

/** An API error body, as HttpTestingController's flush takes it. */
export function apiError(
  status: number,
  code: string,
  message: string,
  fields: { path: string; message: string }[] = [],
) {
  return [
    { error: { code, message, fields: fields.map((field) => ({ location: 'body', ...field })) } },
    { status, statusText: code },
  ] as const;
}

/** Lets awaited promises (HttpClient through firstValueFrom) run their continuations. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}
