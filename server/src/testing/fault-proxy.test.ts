import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { startFaultProxy, targetOf, throughProxy, type FaultProxy } from './fault-proxy';

/** An echo server: what a client sends comes back; a connection the proxy resets just ends. */
async function startEcho(): Promise<Server> {
  const server = createServer((socket) => socket.on('error', () => undefined).pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Connects, sends `text` and resolves with the echo, or rejects with the socket's error. */
function roundTrip(port: number, text: string): Promise<{ reply: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('data', (data) => resolve({ reply: data.toString(), socket }));
    socket.write(text);
  });
}

describe('the fault-injecting TCP proxy', () => {
  let echo: Server;
  let proxy: FaultProxy;

  beforeEach(async () => {
    echo = await startEcho();
    proxy = await startFaultProxy({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
  });
  afterEach(async () => {
    await proxy.stop();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('passes bytes both ways while up', async () => {
    const { reply, socket } = await roundTrip(proxy.port, 'ping');
    assert.equal(reply, 'ping');
    socket.destroy();
    assert.equal(proxy.accepted(), 1);
  });

  it('down() resets open connections and refuses new ones until up()', async () => {
    const { socket } = await roundTrip(proxy.port, 'before');
    const cut = new Promise<string>((resolve) => socket.once('error', (error: any) => resolve(error.code)));
    proxy.down();
    assert.equal(await cut, 'ECONNRESET');
    await assert.rejects(roundTrip(proxy.port, 'while down'), { code: 'ECONNRESET' });
    proxy.up();
    const after = await roundTrip(proxy.port, 'after');
    assert.equal(after.reply, 'after');
    after.socket.destroy();
  });

  it('delay() holds every chunk before passing it on', async () => {
    proxy.delay(150);
    const started = performance.now();
    const { socket } = await roundTrip(proxy.port, 'slow');
    socket.destroy();
    // Once on the way there, once on the way back.
    assert.ok(performance.now() - started >= 290, `took ${Math.round(performance.now() - started)} ms`);
  });

  it('rewrites a service URL to point at the proxy, keeping the rest', () => {
    const proxied = throughProxy('postgres://postgres:secret@db.example:5432/test_1?ssl=false', proxy);
    assert.equal(proxied, `postgres://postgres:secret@127.0.0.1:${proxy.port}/test_1?ssl=false`);
    assert.deepEqual(targetOf('http://127.0.0.1/v1'), { host: '127.0.0.1', port: 80 });
    assert.deepEqual(targetOf('postgresql://u@h/db'), { host: 'h', port: 5432 });
  });
});
