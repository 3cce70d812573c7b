/**
 * A Socket.IO 4 client over k6's WebSocket, just enough for one namespace (`/widget`). k6 has no
 * Socket.IO client, so the framing is written here; each WebSocket text frame is one Engine.IO v4 packet:
 *
 *   server `0{"sid":…,"pingInterval":…}`  open: the transport is up
 *   client `40/widget,{"botId":…,"visitorToken":…}`  connect to the namespace with its auth
 *   server `40/widget,{"sid":…}`  connected; `44/widget,{"message":…,"data":…}` refused
 *   client `42/widget,7["message:send",{…}]`  an event wanting ack 7; server `43/widget,7[{…}]` the ack
 *   server `42/widget,["message:delta",{…}]`  an event
 *   server `2`  ping; the client answers `3` (pong) or the server drops it after pingTimeout
 *
 * (`4` is Engine.IO's "message" type, `0`/`2`/`3`/`4` Socket.IO's CONNECT/EVENT/ACK/CONNECT_ERROR after it.)
 */
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';

/**
 * @typedef {object} SocketIoClient
 * @property {(event: string, payload: unknown) => Promise<any>} request  emits with an ack; resolves with it
 * @property {(event: string, listener: (payload: any) => void) => void} on
 * @property {(event: string, listener: (payload: any) => void) => void} off
 * @property {(event: string, timeoutMs: number) => Promise<any>} next  the next such event, or null after the timeout
 * @property {() => void} close
 */

/**
 * Opens a WebSocket to `baseUrl`'s Socket.IO endpoint and connects to `namespace` with `auth`.
 * @param {string} baseUrl  e.g. `http://127.0.0.1:3000`
 * @param {string} namespace  e.g. `/widget`
 * @param {object} auth  the handshake's auth
 * @param {Record<string, string>} headers  sent with the upgrade request (X-Forwarded-For, Origin)
 * @returns {Promise<SocketIoClient>}
 */
export function connectSocketIo(baseUrl, namespace, auth, headers) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, null, {
    headers,
  });
  /** @type {Map<number, (answer: any) => void>} */
  const acks = new Map();
  /** @type {Map<string, Set<(payload: any) => void>>} */
  const listeners = new Map();
  let nextAck = 0;
  /** @param {number} type  the Socket.IO packet type */
  const prefix = (type) => `4${type}${namespace},`;

  /** @type {SocketIoClient} */
  const client = {
    request(event, payload) {
      const id = nextAck++;
      return new Promise((resolve) => {
        acks.set(id, resolve);
        ws.send(`${prefix(2)}${id}${JSON.stringify([event, payload])}`);
      });
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(listener);
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener);
    },
    next(event, timeoutMs) {
      return new Promise((resolve) => {
        /** @param {any} payload */
        const listener = (payload) => {
          clearTimeout(timer);
          client.off(event, listener);
          resolve(payload);
        };
        const timer = setTimeout(() => {
          client.off(event, listener);
          resolve(null);
        }, timeoutMs);
        client.on(event, listener);
      });
    },
    close() {
      ws.close();
    },
  };

  return new Promise((resolve, reject) => {
    ws.onerror = (event) => reject(new Error(`WebSocket error: ${JSON.stringify(event)}`));
    ws.onmessage = (message) => {
      const frame = String(message?.data);
      if (frame.startsWith('0')) ws.send(`${prefix(0)}${JSON.stringify(auth)}`);
      else if (frame === '2') ws.send('3');
      else if (frame.startsWith(prefix(0))) resolve(client);
      else if (frame.startsWith(prefix(4))) reject(new Error(`refused: ${frame.slice(prefix(4).length)}`));
      else if (frame.startsWith(prefix(3))) {
        const body = frame.slice(prefix(3).length);
        const id = Number(/^\d+/.exec(body)?.[0]);
        acks.get(id)?.(JSON.parse(body.slice(String(id).length))[0]);
        acks.delete(id);
      } else if (frame.startsWith(prefix(2))) {
        const [event, payload] = JSON.parse(frame.slice(prefix(2).length));
        listeners.get(event)?.forEach((listener) => listener(payload));
      }
    };
  });
}
