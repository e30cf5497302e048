import http from 'node:http';

export interface HttpResponse {
  status: number;
  text: string;
}

/** Keep-alive HTTP/1.1 client for one origin (one connection pool per device). */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;
  private inFlight = 0;

  constructor(origin: string, options: { maxSockets?: number; localAddress?: string } = {}) {
    this.url = new URL(origin);
    this.agent = new http.Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 8,
      ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    });
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    this.inFlight += 1;
    const done = (): void => {
      this.inFlight -= 1;
    };
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path,
          headers: {
            ...headers,
            ...(payload !== undefined
              ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    }).finally(done);
  }

  /** Request that must answer with one of `expect`; returns the parsed JSON body. */
  async json<T>(
    method: string,
    path: string,
    body: unknown,
    expect: readonly number[],
    headers: Record<string, string> = {},
  ): Promise<T> {
    const res = await this.request(method, path, body, headers);
    if (!expect.includes(res.status))
      throw new Error(`${method} ${path} -> HTTP ${res.status}: ${res.text.slice(0, 300)}`);
    return (res.text === '' ? undefined : JSON.parse(res.text)) as T;
  }

  /** Waits (bounded) for requests still in flight, then closes the pooled connections. */
  async close(graceMs = 3000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    this.agent.destroy();
  }
}
