import type { Socket } from 'node:net';
import type { ErrorBody } from '@rchat/protocol';
import { httpStatusByCode } from './http-status.ts';

/**
 * Answers a request Node's HTTP parser refused before any route saw it (a
 * broken request line, a header with a NUL, headers past the size limit, a
 * request that arrived too slowly) with the same JSON error body every other
 * refusal has, instead of Fastify's own shape. The connection is closed after.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const message =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 'The request headers are too large.'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? 'The request did not arrive in time.'
          : 'The request is not valid HTTP/1.1.';
    const status = httpStatusByCode.VALIDATION_FAILED;
    const body = JSON.stringify({
      error: { code: 'VALIDATION_FAILED', message },
    } satisfies ErrorBody);
    socket.write(
      `HTTP/1.1 ${status} Bad Request\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
