import { ListStateMachinesCommand, type SFNClient } from '@aws-sdk/client-sfn';

const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

afterEach(() => {
  for (const key of ENV_KEYS) {
    const value = savedEnv[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** Sends a request through the client and captures where it would go, without any network I/O. */
const captureRequestUrl = async (client: SFNClient): Promise<string> => {
  let url = '';
  client.middlewareStack.add(
    () => async (args) => {
      const request = args.request as { protocol: string; hostname: string; port?: number; path: string };
      url = `${request.protocol}//${request.hostname}${request.port === undefined ? '' : `:${request.port}`}${request.path}`;
      throw new Error('stop before sending');
    },
    { step: 'finalizeRequest', name: 'captureRequestUrl' },
  );
  await expect(client.send(new ListStateMachinesCommand({}))).rejects.toThrow('stop before sending');
  return url;
};

describe('AWS client factories', () => {
  it('honour AWS_ENDPOINT_URL (the local cloud) and reuse one client per function instance', async () => {
    // Arrange
    process.env['AWS_ENDPOINT_URL'] = 'http://127.0.0.1:4566';
    process.env['AWS_REGION'] = 'us-east-1';
    process.env['AWS_ACCESS_KEY_ID'] = 'test';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'test';
    const { getSfnClient } = await import('./clients');

    // Act
    const client = getSfnClient();
    const url = await captureRequestUrl(client);

    // Assert
    expect(url).toBe('http://127.0.0.1:4566/');
    expect(getSfnClient()).toBe(client);
  });

  it("resolve each command type's middleware once per client, except under the DocumentClient (lib-dynamodb refuses it)", async () => {
    // Act
    const { getSfnClient, getSqsClient, getEventBridgeClient, getDynamoDbClient, getDocumentClient } =
      await import('./clients');

    // Assert
    expect(
      [getSfnClient(), getSqsClient(), getEventBridgeClient(), getDynamoDbClient(), getDocumentClient()].map(
        (client) => client.config.cacheMiddleware,
      ),
    ).toStrictEqual([true, true, true, true, undefined]);
    expect(getDocumentClient().middlewareStack).not.toBe(getDynamoDbClient().middlewareStack);
  });

  it('give the DocumentClient one traced low-level client, reused across calls', async () => {
    // Act
    const { getDocumentClient } = await import('./clients');

    // Assert
    expect(getDocumentClient()).toBe(getDocumentClient());
    expect(getDocumentClient().config.translateConfig?.marshallOptions?.removeUndefinedValues).toBe(true);
  });
});
