import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a connection that answered 413 before the body ended keeps reading (and dropping) what
 * the client still sends.
 */
const LINGER_MS = 30_000;

/**
 * A body over its route's limit is refused with 413, but the client is often
 * still sending it. Closing a socket that has unread input makes the kernel
 * reset the connection, and a client that uploads before it reads (a browser)
 * then sees a network error instead of the 413. So the rest of the body is
 * read and dropped before answering, up to `maxDiscardBytes`. A longer body
 * (its declared length, or what arrives) is answered at once with
 * `Connection: close`, and the connection lingers: the server sends its FIN
 * after the answer and drops what still arrives until the client stops or
 * 30 s pass, so the client reads the answer instead of a reset.
 */
export async function settleOversizeBody(
  raw: IncomingMessage,
  maxDiscardBytes: number,
): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return;
  const declared = Number(raw.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxDiscardBytes) return lingerAfterAnswer(raw);
  const drained = await new Promise<boolean>((resolve) => {
    let seen = 0;
    const finish = (ok: boolean) => {
      raw.off('data', onData).off('end', onEnd).off('error', onFail).off('close', onFail);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxDiscardBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(raw.complete);
    raw.on('data', onData).once('end', onEnd).once('error', onFail).once('close', onFail);
    raw.resume();
  });
  if (!drained) lingerAfterAnswer(raw);
}

/**
 * Node ends a `Connection: close` response with `socket.destroySoon()` (end,
 * then destroy once written), which resets a connection the client is still
 * writing to. For this one socket it instead half-closes and keeps reading.
 */
function lingerAfterAnswer(raw: IncomingMessage): void {
  raw.resume();
  const socket = raw.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => {
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.end();
    socket.resume();
  };
}
