import { type LocalCloud } from '../cloud';
import { consoleRoute } from '../console/console-route';
import { eventsService } from '../api/events';
import { functionUrlRoute } from '../api/function-url';
import { lambdaRoute } from '../api/lambda';
import { sqsJsonService, sqsQueryRoute } from '../api/sqs';
import { sqsApi } from '../api/sqs-operations';
import { stepFunctionsService } from '../api/stepfunctions';
import { dynamoDbProxyRoute } from './dynamodb-proxy';
import { jsonProtocolRoute } from './json-route';
import { localApiRoute } from './local-api';
import { type RawRoute, type Route } from './route';

/** The routes of the local cloud's endpoint over a started {@link LocalCloud}. */
export const localCloudRoutes = (
  cloud: LocalCloud,
  options: { endpoint: string; startedAt?: Date },
): { routes: Route[]; rawRoutes: RawRoute[] } => {
  const startedAt = options.startedAt ?? new Date();
  const sqs = sqsApi(cloud.sqs);
  const urlFunctions = new Set(cloud.picture.functionUrls.map((u) => u.functionName));
  const readRequestLogs = (requestId: string): string =>
    cloud.logs
      .query({ requestId })
      .map((entry) => `${entry.message}\n`)
      .join('');
  return {
    routes: [
      jsonProtocolRoute([
        stepFunctionsService(cloud.engine),
        sqsJsonService(sqs),
        eventsService(cloud.events),
      ]),
      sqsQueryRoute(sqs),
      lambdaRoute(cloud.lambda, readRequestLogs, startedAt),
      functionUrlRoute(cloud.lambda, (name) => urlFunctions.has(name)),
      localApiRoute(
        () => ({
          status: 'ok',
          endpoint: options.endpoint,
          startedAt: startedAt.toISOString(),
          stateMachines: cloud.picture.stateMachines.map((m) => m.stateMachineArn),
          functions: cloud.picture.functions.map((f) => f.functionName),
          queues: cloud.picture.queues.map((q) => q.queueUrl),
          lambdaThreads: Object.fromEntries(
            cloud.picture.functions.map((f) => [
              f.functionName,
              cloud.lambda.get(f.functionName)?.osThreadIds ?? [],
            ]),
          ),
          memory: (({ rss, heapUsed, heapTotal, external }) => ({ rss, heapUsed, heapTotal, external }))(
            process.memoryUsage(),
          ),
        }),
        cloud.logs,
      ),
    ],
    rawRoutes: [dynamoDbProxyRoute(() => cloud.dynamodbEndpoint), consoleRoute(cloud)],
  };
};
