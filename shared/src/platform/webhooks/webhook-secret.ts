import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box';

/** The context a webhook's secret is sealed under, so a ciphertext copied to another record does not open. */
const secretContext = (webhookId: string) => `webhook:${webhookId}:secret`;

/** A new signing secret: 32 random bytes, base64url, with a prefix that tells what it is when it leaks. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function sealWebhookSecret(secretBox: SecretBox, webhookId: string, secret: string): string {
  return secretBox.encrypt(secret, secretContext(webhookId));
}

export function openWebhookSecret(
  secretBox: SecretBox,
  webhook: { id: string; secretSealed: string },
): string {
  return secretBox.decrypt(webhook.secretSealed, secretContext(webhook.id));
}
