import { connect, createServer, type Server } from 'node:net';
import { hintFor } from './hints';

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

describe('hintFor', () => {
  it('tells to start the local cloud when nothing listens at the endpoint', async () => {
    // Arrange: a port that was free a moment ago
    const probe = createServer();
    await listen(probe, 0);
    const address = probe.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    await new Promise((resolve) => probe.close(resolve));

    // Act: the socket error the SDK's HTTP handler gets (and the CLI sees) when nothing listens
    const error = await new Promise<unknown>((resolve) => {
      connect(port, '127.0.0.1').on('error', resolve);
    });

    // Assert
    expect(hintFor(error)).toBe(
      `Nothing answers at 127.0.0.1:${port}: start the local cloud first (npm start), or point the CLI at it with --endpoint <url> or AWS_ENDPOINT_URL.`,
    );
  });

  it('tells to pick another port when the port is taken', async () => {
    // Arrange
    const first = createServer();
    await listen(first, 0);
    const address = first.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;

    // Act
    const error: unknown = await listen(createServer(), port).catch((e: unknown) => e);
    await new Promise((resolve) => first.close(resolve));

    // Assert
    expect(hintFor(error)).toBe(
      `The port 127.0.0.1:${port} is taken (another local cloud?): stop that one, or start this one with --port <n> (0 picks a free port).`,
    );
  });

  it('has no hint for other errors', () => {
    // Act / Assert
    expect(hintFor(new Error('ExecutionDoesNotExist'))).toBeUndefined();
    expect(hintFor('text')).toBeUndefined();
  });
});
