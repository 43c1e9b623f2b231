// forward() hands a request to the functions host. When the host's port refuses the
// connection (a host that has just died), the request never reached a function: the
// error says so and the body is still unread, so the gateway can send it again once the
// host has restarted (functions-service.test.ts covers that end to end).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forward, UpstreamError } from '../../../stack/gateway/functions/proxy.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function streamedRequest(text: string): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
  return new Request('http://gateway.invalid/echo', { method: 'POST', body, duplex: 'half' } as RequestInit);
}

describe('forward', () => {
  it('a refused connection did not reach the host and leaves the body for a second attempt', async () => {
    const request = streamedRequest('sent twice, read once');
    const refused = await forward(request, await deadPort(), '/echo').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UpstreamError);
    expect((refused as UpstreamError).code).toBe('ECONNREFUSED');
    expect((refused as UpstreamError).reachedHost).toBe(false);
    expect(request.bodyUsed).toBe(false);

    const port = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => res.end(`got: ${Buffer.concat(chunks).toString()}`));
    });
    const answer = await forward(request, port, '/echo');
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('got: sent twice, read once');
  });

  it('a connection dropped after the request was sent did reach the host', async () => {
    const port = await listen((req) => req.socket.destroy());
    const dropped = await forward(streamedRequest('x'), port, '/echo').catch((error: unknown) => error);
    expect(dropped).toBeInstanceOf(UpstreamError);
    expect((dropped as UpstreamError).reachedHost).toBe(true);
  });
});
