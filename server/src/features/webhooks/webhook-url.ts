import { isIP } from 'node:net';
import { isPublicAddress } from '@chatbot/shared/platform';
import { validationFailed } from '../../http/http-error';

/**
 * Refuses, when a webhook is saved, the addresses that are plainly not on the internet: `localhost` and
 * its subdomains, and private, loopback or link-local IP literals (cloud metadata at 169.254.169.254).
 * Names are only resolved when a delivery is sent, by the SSRF guard, since what they point to can change.
 */
export function assertDeliverableUrl(rawUrl: string, allowAddress?: (address: string) => boolean): void {
  // WHATWG parsing has already turned shorthand such as 127.1 or 0x7f000001 into 127.0.0.1.
  const host = new URL(rawUrl).hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  const refusal =
    host === 'localhost' || host.endsWith('.localhost')
      ? 'must not point to localhost'
      : isIP(host) && !isPublicAddress(host) && !allowAddress?.(host)
        ? `must not point to a private, loopback or link-local address (${host})`
        : null;
  if (refusal) throw validationFailed([{ location: 'body', path: 'url', message: refusal }]);
}
