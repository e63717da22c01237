import { request as httpRequest } from 'node:http';
import { type AwsError } from './aws-error';
import { type RunningHttpServer, startHttpServer } from './http-server';
import { type Route, type WireRequest, type WireResponse } from './route';

const ok = (body: unknown): WireResponse => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A route that answers what it saw, or (for `/wait`) waits until the client goes away. */
const probeRoute = (seen: WireRequest[], aborted: (reason: string) => void): Route => ({
  name: 'probe',
  maxBodyBytes: 1024,
  matches: () => true,
  errorResponse: (error: AwsError) => ({
    status: error.status,
    headers: {},
    body: JSON.stringify({ __type: error.code }),
  }),
  handle: async (request) => {
    seen.push(request);
    if (request.path !== '/wait') {
      return ok({ path: request.path, query: request.query.toString(), body: request.body.toString() });
    }
    await new Promise<void>((resolve) => {
      request.signal.addEventListener('abort', () => {
        aborted('client left');
        resolve();
      });
    });
    return ok({});
  },
});

const post = (url: string, body: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe('startHttpServer', () => {
  let server: RunningHttpServer;
  const seen: WireRequest[] = [];
  let abortedWith: ((reason: string) => void) | undefined;

  beforeAll(async () => {
    server = await startHttpServer({
      port: 0,
      routes: [probeRoute(seen, (reason) => abortedWith?.(reason))],
    });
  });
  afterAll(() => server.close());

  it('gives a route the path, query and body of `POST /` and of a path with a query string', async () => {
    // Arrange
    const root = `${server.url}/`;
    const withQuery = `${server.url}/000000000000/q?Action=ReceiveMessage&x=1`;

    // Act
    const atRoot = await post(root, '{"a":1}');
    const atPath = await post(withQuery, 'b=2');

    // Assert
    expect(JSON.parse(atRoot.body)).toStrictEqual({ path: '/', query: '', body: '{"a":1}' });
    expect(JSON.parse(atPath.body)).toStrictEqual({
      path: '/000000000000/q',
      query: 'Action=ReceiveMessage&x=1',
      body: 'b=2',
    });
  });

  it('aborts the signal of a request whose client goes away before the answer (ends long polls)', async () => {
    // Arrange
    const aborted = new Promise<string>((resolve) => {
      abortedWith = resolve;
    });
    const req = httpRequest(`${server.url}/wait`, { method: 'POST' });
    req.on('error', () => undefined);
    req.end('{}');
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    req.destroy();

    // Assert
    await expect(aborted).resolves.toBe('client left');
  });

  it('does not abort the signal of a request that was answered', async () => {
    // Arrange
    const answered = await post(`${server.url}/`, '{}');
    const request = seen.at(-1);

    // Act
    const signal = request?.signal;

    // Assert
    expect(answered.status).toBe(200);
    expect(signal?.aborted).toBe(false);
  });
});
