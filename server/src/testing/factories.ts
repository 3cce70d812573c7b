import { randomBytes } from 'node:crypto';
import type { AuthResponse, BotView, CreateBotInput, RegisterInput } from '@chatbot/shared';
import assert from 'node:assert/strict';
import type { ApiClient } from './api-client';

/** Registers a new tenant with its owner through the API and returns the signed-in owner. */
export async function buildTenant(
  api: ApiClient,
  overrides: Partial<RegisterInput> = {},
): Promise<AuthResponse> {
  const suffix = randomBytes(4).toString('hex');
  const response = await api.post<AuthResponse>('/api/auth/register', {
    email: `owner-${suffix}@example.com`,
    password: 'correct horse battery staple',
    name: `Owner ${suffix}`,
    companyName: `Company ${suffix}`,
    ...overrides,
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

/** Creates a bot through the API as the given user. */
export async function buildBot(
  api: ApiClient,
  token: string,
  overrides: Partial<CreateBotInput> = {},
): Promise<BotView> {
  const response = await api.post<BotView>('/api/chatbots', { name: 'Support bot', ...overrides }, token);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}
