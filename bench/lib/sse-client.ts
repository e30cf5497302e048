import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export interface EventStream {
  close(): void;
}

export interface EventStreamOptions {
  headers?: Record<string, string>;
  localAddress?: string;
  onEvent: (event: SseEvent) => void;
  onError?: (error: Error) => void;
}

function parseBlock(block: string): SseEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? undefined : { id, event, data: data.join('\n') };
}

/**
 * Opens a Server-Sent-Events stream on its own connection; resolves once the server answered 200.
 */
export function openEventStream(url: string, options: EventStreamOptions): Promise<EventStream> {
  let closed = false;
  const onError = (e: Error): void => {
    if (!closed) options.onError?.(e);
  };
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      {
        agent: false,
        headers: { accept: 'text/event-stream', ...options.headers },
        ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () =>
            reject(new Error(`GET ${url} -> HTTP ${res.statusCode}: ${body.slice(0, 300)}`)),
          );
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const event = parseBlock(buffer.slice(0, end).replace(/\r/g, ''));
            buffer = buffer.slice(end + 2);
            if (event !== undefined) options.onEvent(event);
            end = buffer.indexOf('\n\n');
          }
        });
        res.on('error', onError);
        resolve({
          close: () => {
            closed = true;
            req.destroy();
          },
        });
      },
    );
    req.on('error', (e) => {
      onError(e);
      reject(e);
    });
  });
}
