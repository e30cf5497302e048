// Minimal HTTP-POST -> Server-Sent-Events relay: the floor for an HTTP API
// that pushes over SSE. POST /send?to=USER with a JSON body is parsed, framed
// as an SSE event and written to every open GET /events?user=USER stream.
import http from 'node:http';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { URL } from 'node:url';

const port = Number(process.argv[2] ?? 0);
const streams = new Map();
let seq = 0;

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://relay');
  if (req.method === 'GET' && url.pathname === '/events') {
    const user = url.searchParams.get('user') ?? '';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(': open\n\n');
    let set = streams.get(user);
    if (set === undefined) streams.set(user, (set = new Set()));
    set.add(res);
    req.on('close', () => {
      set.delete(res);
      if (set.size === 0) streams.delete(user);
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/send') {
    const to = url.searchParams.get('to') ?? '';
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let message;
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400).end();
        return;
      }
      seq += 1;
      const frame = `id: ${seq}\nevent: message\ndata: ${JSON.stringify({ seq, type: 'message', message })}\n\n`;
      for (const stream of streams.get(to) ?? []) stream.write(frame);
      res.writeHead(201, { 'content-type': 'application/json' }).end(`{"seq":${seq}}`);
    });
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
