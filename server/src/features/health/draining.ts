import type { IncomingMessage } from 'node:http';
import type { Platform } from '@chatbot/shared/platform';

/**
 * Processes that are shutting down, by the platform they run on: the health route is built from the
 * platform alone, and tests run several servers, each on its own, in one process.
 */
const draining = new WeakSet<Platform>();

/** Engine.IO's hook on every new connection (a handshake); existing sessions never reach it. */
type AllowRequest = (req: IncomingMessage, answer: (error: string | null, allowed: boolean) => void) => void;

/** Why a handshake is refused while draining; the HTTP body carries it. */
export const drainingRefusal = 'This server is shutting down: connect again, another server will answer.';

/** Marks the server on `platform` as shutting down: from now on readiness answers 503 `draining`. */
export function startDraining(platform: Platform): void {
  draining.add(platform);
}

export function isDraining(platform: Platform): boolean {
  return draining.has(platform);
}

/**
 * Engine.IO's `allowRequest` for the server on `platform`: refuses new connections once it drains, so a
 * client that reconnects (or a new visitor) cannot settle on a node about to go. The refusal fails the
 * transport (403 for long-polling, 400 for a WebSocket upgrade, with `drainingRefusal` as the body): the
 * Socket.IO client treats that as a connection that did not open, not as a handshake refused by the
 * application, and retries with its usual backoff, which the balancer sends elsewhere. The widget and
 * the dashboard therefore need nothing of their own for it.
 */
export function refuseHandshakesWhileDraining(platform: Platform): AllowRequest {
  return (_req, answer) => (isDraining(platform) ? answer(drainingRefusal, false) : answer(null, true));
}
