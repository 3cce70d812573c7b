/**
 * Drops the open `/admin` sockets of a session that ended, or of a user who was removed, at once and on
 * every node (through the Redis adapter). Each socket re-checks its token at its next event anyway; without
 * this, a socket that only listens would keep hearing its tenant's inbox until its token expired.
 */
export interface SignedOutSockets {
  endSession(sessionId: string): void;
  endUser(userId: string): void;
}
