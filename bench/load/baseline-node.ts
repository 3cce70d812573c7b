/**
 * The baseline of bench:load, in a process of its own as the platform's server is: a bare node:http server
 * answering the platform's public and dashboard routes with canned JSON (recorded from the platform), and
 * a bare Socket.IO 4.8 `/widget` namespace that acknowledges `conversation:join` and `message:send` and
 * streams a reply of the same pieces at the same pace as the fake model streams the platform's. No
 * database, no auth, no limits, no logging: the floor of the transport the platform is built on, so a
 * ratio is what the platform adds on top of it.
 *
 *   BASELINE_SPEC='<BaselineSpec as JSON>' node --import tsx bench/load/baseline-node.ts
 *
 * Prints `baseline listening at <url>` once it listens; stops on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import type { BaselineSpec } from './baseline';

const spec = JSON.parse(process.env.BASELINE_SPEC ?? '{}') as BaselineSpec;
const routes = (spec.routes ?? []).map((route) => ({
  ...route,
  pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, '[^/]+')}$`),
  json: JSON.stringify(route.body),
}));
const pieces = spec.answer?.pieces ?? [];
const delayMs = spec.answer?.delayMs ?? 0;
const pause = () => new Promise((resolve) => setTimeout(resolve, delayMs));

const http = createServer((req, res) => {
  // Read the whole body first, as the platform's JSON parser does.
  req.resume();
  req.once('end', () => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = routes.find((candidate) => candidate.method === req.method && candidate.pattern.test(path));
    if (!route) return void res.writeHead(404).end();
    const answer = () => res.writeHead(route.status, { 'content-type': 'application/json' }).end(route.json);
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
});

const io = new Server(http, { serveClient: false });
io.of('/widget').on('connection', (socket) => {
  let seq = 0;
  socket.on('conversation:join', (payload: { conversationId: string }, ack: (response: unknown) => void) =>
    ack({ ok: true, data: { conversationId: payload.conversationId, mode: 'bot', messages: [] } }),
  );
  socket.on(
    'message:send',
    (
      payload: { conversationId: string; text: string; clientMessageId: string },
      ack: (response: unknown) => void,
    ) => {
      const question = message(
        payload.conversationId,
        ++seq,
        'visitor',
        payload.text,
        payload.clientMessageId,
      );
      ack({ ok: true, data: { messageId: question.id, seq: question.seq } });
      socket.emit('message:new', question);
      void stream(socket, message(payload.conversationId, ++seq, 'bot', '', randomUUID()));
    },
  );
});

/** The fake model's pace: its opening chunk, each piece and its closing chunk are `delayMs` apart. */
async function stream(socket: Socket, answer: ReturnType<typeof message>) {
  socket.emit('message:new', { ...answer, state: 'streaming' });
  await pause();
  let content = '';
  for (const piece of pieces) {
    socket.emit('message:delta', {
      conversationId: answer.conversationId,
      messageId: answer.id,
      offset: content.length,
      delta: piece,
    });
    content += piece;
    await pause();
  }
  await pause();
  socket.emit('message:done', {
    conversationId: answer.conversationId,
    messageId: answer.id,
    content,
    state: 'complete',
    sources: [],
    usage: { promptTokens: 0, completionTokens: pieces.length, costUsd: 0 },
  });
}

function message(
  conversationId: string,
  seq: number,
  role: string,
  content: string,
  clientMessageId: string,
) {
  return {
    id: randomUUID(),
    conversationId,
    seq,
    role,
    content,
    state: 'complete',
    sources: [],
    clientMessageId,
    createdAt: new Date().toISOString(),
  };
}

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  console.log(`baseline listening at http://127.0.0.1:${port}`);
});
process.once('SIGTERM', () => io.close(() => process.exit(0)));
