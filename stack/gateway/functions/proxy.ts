// Forward one request to the functions host and hand its answer back: method,
// headers (Host included) and body go through as they are, streamed both ways;
// status, headers and body come back the same way. Only hop-by-hop headers
// (RFC 9110 §7.6.1), which describe one connection rather than the message,
// are dropped, as any HTTP proxy does.
import http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Statuses whose responses never carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

function connectionScoped(headers: Headers | http.IncomingHttpHeaders): Set<string> {
  const raw = headers instanceof Headers ? headers.get('connection') : headers.connection;
  const listed = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).split(',').map((s) => s.trim().toLowerCase());
  return new Set([...HOP_BY_HOP, ...listed.filter(Boolean)]);
}

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    /** False when no connection was made: the host never saw the request and its body is unread, so it may be sent again. */
    readonly reachedHost: boolean,
  ) {
    super(message);
  }
}

/**
 * Send `request` to `http://127.0.0.1:<port><pathAndQuery>`.
 * Rejects with UpstreamError when the host cannot be reached or drops the connection before answering.
 */
export function forward(request: Request, port: number, pathAndQuery: string): Promise<Response> {
  const drop = connectionScoped(request.headers);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (!drop.has(name)) headers[name] = value;
  });

  return new Promise<Response>((resolve, reject) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: pathAndQuery,
        headers,
        // One connection per request: no keep-alive races with a host that restarts.
        agent: false,
        signal: request.signal,
      },
      (answer) => {
        const responseDrop = connectionScoped(answer.headers);
        const responseHeaders = new Headers();
        const raw = answer.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          const name = raw[i]!;
          if (!responseDrop.has(name.toLowerCase())) responseHeaders.append(name, raw[i + 1]!);
        }
        const status = answer.statusCode ?? 502;
        let body: ReadableStream<Uint8Array> | null = null;
        if (request.method === 'HEAD' || NULL_BODY_STATUS.has(status)) {
          answer.resume();
        } else {
          body = Readable.toWeb(answer) as NodeReadableStream<Uint8Array> as unknown as ReadableStream<Uint8Array>;
        }
        resolve(new Response(body, { status, statusText: answer.statusMessage ?? '', headers: responseHeaders }));
      },
    );
    let connected = false;
    upstream.on('error', (error: NodeJS.ErrnoException) => reject(new UpstreamError(error.message, error.code, connected)));

    // The body is read only once the connection stands, so a host that died a moment ago
    // (connection refused) leaves it untouched for a second attempt.
    const sendBody = () => {
      connected = true;
      if (request.body === null) {
        upstream.end();
        return;
      }
      const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
      body.on('error', (error) => upstream.destroy(error));
      body.pipe(upstream);
    };
    upstream.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', sendBody);
      else sendBody();
    });
  });
}
