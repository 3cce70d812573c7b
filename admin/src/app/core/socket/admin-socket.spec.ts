import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Session } from '../auth/session';
import { AdminSocket, SOCKET_IO } from './admin-socket';

type Handler = (...args: unknown[]) => void;

/** What the dashboard's socket sees of socket.io: the options it was opened with, and its events. */
class FakeConnection {
  private readonly handlers = new Map<string, Handler[]>();
  connects = 0;

  constructor(
    private readonly options: { auth: (callback: (data: { token: string | null }) => void) => void },
  ) {}

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  connect(): this {
    this.connects++;
    return this;
  }

  disconnect(): this {
    return this;
  }

  /** The token the next handshake would send. */
  handshakeToken(): Promise<string | null> {
    return new Promise((resolve) => this.options.auth(({ token }) => resolve(token)));
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

/** A refused handshake, as socket.io reports it. */
const refusal = (code: string) => Object.assign(new Error('refused'), { data: { code } });

describe('AdminSocket', () => {
  let connection: FakeConnection;
  let socket: AdminSocket;
  let tokens: string[];
  let refreshes: number;
  let refreshed: string | null;

  beforeEach(() => {
    tokens = ['first-token', 'renewed-token'];
    refreshes = 0;
    refreshed = 'refreshed-token';
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        {
          provide: Session,
          useValue: {
            token: async () => tokens.shift() ?? null,
            refresh: async () => {
              refreshes++;
              return refreshed;
            },
          },
        },
        {
          provide: SOCKET_IO,
          useValue: (_url: string, options: ConstructorParameters<typeof FakeConnection>[0]) =>
            (connection = new FakeConnection(options)),
        },
      ],
    });
    socket = TestBed.inject(AdminSocket);
    socket.connect();
  });

  it('comes back with a fresh token when the server drops it (its token expired)', async () => {
    expect(await connection.handshakeToken()).toBe('first-token');
    connection.fire('connect');
    connection.fire('disconnect', 'io server disconnect');
    expect(connection.connects).toBe(1);
    expect(await connection.handshakeToken()).toBe('renewed-token');
    connection.fire('connect');
    expect(socket.epoch()).toBe(1);
    expect(socket.connected()).toBe(true);
  });

  for (const code of ['token_expired', 'unauthenticated']) {
    it(`renews the token and connects again when the handshake is refused as ${code}`, async () => {
      connection.fire('connect_error', refusal(code));
      await Promise.resolve();
      await Promise.resolve();
      expect(refreshes).toBe(1);
      expect(connection.connects).toBe(1);
    });
  }

  it('stays down when the session cannot be renewed', async () => {
    refreshed = null;
    connection.fire('connect_error', refusal('token_expired'));
    await Promise.resolve();
    await Promise.resolve();
    expect(refreshes).toBe(1);
    expect(connection.connects).toBe(0);
  });

  it('does not renew the token for a refusal a token cannot fix', async () => {
    connection.fire('connect_error', refusal('internal_error'));
    await Promise.resolve();
    expect(refreshes).toBe(0);
  });
});
