/** Socket errors of a database that cannot be reached (the drivers raise them as plain errors). */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // tedious (SQL Server): a lost socket, a connection or request timeout, a closed connection.
  'ESOCKET',
  'ETIMEOUT',
  'ECONNCLOSED',
  // SQLite: another connection holds the write lock for longer than the busy timeout.
  'SQLITE_BUSY',
]);

/**
 * PostgreSQL's SQLSTATEs of a server that is going away or not yet back: class 08 (connection exception),
 * shutting down (57P01, 57P02), starting (57P03), out of connection slots (53300).
 */
const unavailableStates = /^(08...|57P0[123]|53300)$/;

/**
 * Messages of the drivers and the pool that carry no code (MikroORM prefixes the statement, so they are
 * found after it). pg says "Client has encountered a connection error" when the server ended the
 * connection before the next query was sent, "Connection terminated" when it ended while one ran.
 */
const unavailableMessages =
  /(^| - )(Connection terminated|Client has encountered a connection error|Knex: Timeout acquiring a connection)/;

/**
 * Whether an error means the database is briefly out of reach rather than that the request or the code is
 * wrong: the client may send the same request again in a moment (an outage, a restart, a failover). The
 * codes are read off the error itself, as the drivers (and MikroORM's DriverException, which copies them)
 * put them; a failed fetch keeps its code on `cause` and is not taken for the database.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (networkCodes.has(code) || unavailableStates.test(code))) return true;
  return error.name === 'KnexTimeoutError' || unavailableMessages.test(error.message);
}
