// Minimal WebSocket relay: the floor any WebSocket messenger pays.
// Binary frame in: [to length (1 byte)][to (utf8)][payload]; payload is
// forwarded unchanged to every socket of `to`. No auth, no storage.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { URL } from 'node:url';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 0);
const sockets = new Map();
const wss = new WebSocketServer({
  host: '127.0.0.1',
  port,
  perMessageDeflate: false,
  maxPayload: 1 << 20,
});

wss.on('connection', (ws, req) => {
  const user = new URL(req.url ?? '/', 'http://relay').searchParams.get('user') ?? '';
  let set = sockets.get(user);
  if (set === undefined) sockets.set(user, (set = new Set()));
  set.add(ws);
  ws.on('message', (data) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const toLen = buf[0] ?? 0;
    const to = buf.toString('utf8', 1, 1 + toLen);
    const payload = buf.subarray(1 + toLen);
    for (const peer of sockets.get(to) ?? []) peer.send(payload, { binary: true });
  });
  ws.on('close', () => {
    set.delete(ws);
    if (set.size === 0) sockets.delete(user);
  });
  ws.on('error', () => ws.terminate());
});
wss.on('listening', () => process.stdout.write(`ready ${wss.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
