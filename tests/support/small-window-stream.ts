/**
 * The start of a Python script that opens an event stream with a 4 KiB TCP
 * receive buffer (Node cannot shrink SO_RCVBUF): a client that can read
 * slowly, or not at all, with little buffered on its side. The socket is `s`.
 */
export function smallWindowStream(
  platformUrl: string,
  token: string,
  headers: Record<string, string> = {},
): string {
  const { port } = new URL(platformUrl);
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\\r\\n`)
    .join('');
  return `
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", ${Number(port)}))
s.sendall(b"GET /events HTTP/1.1\\r\\nHost: x\\r\\nAuthorization: Bearer ${token}\\r\\n${extra}\\r\\n")
`;
}
