import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export type FetchRefusal =
  | 'invalid_url'
  | 'protocol'
  | 'private_address'
  | 'dns'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'http_status'
  | 'network';

/** Why a URL was not fetched, in words a user can act on. */
export class FetchRefusedError extends Error {
  constructor(
    readonly reason: FetchRefusal,
    message: string,
    /** The underlying error's own words (a network error's `ECONNREFUSED …`), when there is one. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface SafeFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  /** Extra addresses to admit besides public ones (tests serve from loopback). */
  allowAddress?: (address: string) => boolean;
  headers?: Record<string, string>;
  /** GET unless told otherwise. */
  method?: 'GET' | 'POST';
  /** The request body, sent with its Content-Length. */
  body?: string | Buffer;
  /**
   * Hand back whatever the server answered instead of the content of a page: any status is returned
   * rather than refused, a redirect is not followed, and a body beyond `maxBytes` is cut there rather than
   * refused. For callers that report an endpoint's answer (webhook deliveries).
   */
  anyAnswer?: boolean;
}

export interface SafeFetchResult {
  /** The URL that finally answered, after redirects. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/** True for addresses on the public internet; false for loopback, private, link-local (cloud metadata), etc. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed.range() === 'unicast';
}

/**
 * Fetches a user-supplied URL (GET, or POST with a body) without letting it reach the platform's own
 * network (SSRF): http(s) only; every address the name resolves to must be public, checked inside the
 * connection's own DNS lookup so the name cannot resolve differently between check and connect; each
 * redirect is checked again; size and time are bounded, so a page that never ends or never answers is
 * cut off.
 */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<SafeFetchResult> {
  const maxRedirects = options.maxRedirects ?? 5;
  const deadline = Date.now() + options.timeoutMs;
  let url = parseUrl(rawUrl);
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(url, options, deadline);
    const location = response.headers.location;
    if (options.anyAnswer) {
      const body = await readBounded(response, options.maxBytes, deadline, true);
      const status = response.statusCode ?? 0;
      return { url: url.toString(), status, contentType: response.headers['content-type'], body };
    }
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects >= maxRedirects) {
        throw new FetchRefusedError(
          'too_many_redirects',
          `The page redirected more than ${maxRedirects} times.`,
        );
      }
      url = parseUrl(new URL(location, url).toString());
      continue;
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      response.resume();
      throw new FetchRefusedError('http_status', `The page answered with HTTP ${status}.`);
    }
    const body = await readBounded(response, options.maxBytes, deadline);
    return { url: url.toString(), status, contentType: response.headers['content-type'], body };
  }
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefusedError('invalid_url', 'That is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError('protocol', 'Only http and https addresses can be imported.');
  }
  if (url.username || url.password) {
    throw new FetchRefusedError('invalid_url', 'Addresses with a user name or password cannot be imported.');
  }
  return url;
}

function guardedLookup(allowAddress: SafeFetchOptions['allowAddress']): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error)
        return callback(new FetchRefusedError('dns', `The name ${hostname} could not be resolved.`), '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !isPublicAddress(entry.address) && !allowAddress?.(entry.address));
      if (refused || !list.length) {
        return callback(
          new FetchRefusedError(
            'private_address',
            `${hostname} points to a private or local address, which cannot be imported.`,
          ),
          '',
          0,
        );
      }
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

function requestOnce(url: URL, options: SafeFetchOptions, deadline: number): Promise<IncomingMessage> {
  // A literal IP never goes through DNS, so it is checked here.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !isPublicAddress(host) && !options.allowAddress?.(host)) {
    throw new FetchRefusedError(
      'private_address',
      `${host} is a private or local address, which cannot be imported.`,
    );
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      lookup: guardedLookup(options.allowAddress),
      headers: {
        'user-agent': 'ChatbotPlatform-Importer/1.0',
        accept: 'text/html,text/plain,*/*;q=0.5',
        ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }),
        ...options.headers,
      },
      timeout: Math.max(1, deadline - Date.now()),
    });
    req.once('response', resolve);
    req.once('timeout', () =>
      req.destroy(new FetchRefusedError('timeout', 'The page took too long to answer.')),
    );
    req.once('error', (error) =>
      reject(
        error instanceof FetchRefusedError
          ? error
          : new FetchRefusedError(
              'network',
              `The page could not be reached (${error.message}).`,
              error.message,
            ),
      ),
    );
    req.end(options.body);
  });
}

/** Reads the body up to `maxBytes`: beyond that it is refused, or with `truncate` cut off there. */
function readBounded(
  response: IncomingMessage,
  maxBytes: number,
  deadline: number,
  truncate = false,
): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes && !truncate) {
    response.destroy();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(
      () => response.destroy(new FetchRefusedError('timeout', 'The page took too long to download.')),
      Math.max(1, deadline - Date.now()),
    );
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return chunks.push(chunk);
      if (!truncate) return response.destroy(tooLarge(maxBytes));
      clearTimeout(timer);
      chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
      response.destroy();
      resolve(Buffer.concat(chunks));
    });
    response.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    response.once('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof FetchRefusedError ? error : new FetchRefusedError('network', error.message));
    });
  });
}

function tooLarge(maxBytes: number) {
  return new FetchRefusedError(
    'too_large',
    `The page is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`,
  );
}
