import { request } from 'node:http';
import { header, type RawRoute } from './route';

/**
 * DynamoDB (`X-Amz-Target: DynamoDB_20120810.*`): the raw request is streamed to the embedded emulator's own
 * loopback endpoint and its response streamed back unchanged (status, headers incl. `x-amz-crc32`, body).
 */
export const dynamoDbProxyRoute = (dynamodbEndpoint: () => string | undefined): RawRoute => ({
  name: 'dynamodb',
  matches: (_method, _path, _query, headers) =>
    (header(headers, 'x-amz-target') ?? '').startsWith('DynamoDB_'),
  handleRaw: (req, res) => {
    const fail = (message: string): void => {
      req.resume();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message }));
    };
    const endpoint = dynamodbEndpoint();
    if (endpoint === undefined) {
      fail('DynamoDB is not running in this local cloud.');
      return;
    }
    const target = new URL(req.url ?? '/', endpoint);
    const upstream = request(
      target,
      { method: req.method ?? 'POST', headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 500, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    upstream.on('error', (error) => fail(`DynamoDB emulator unreachable: ${error.message}`));
    req.pipe(upstream);
  },
});
