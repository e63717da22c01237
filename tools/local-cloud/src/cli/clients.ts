import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';

/** Where the CLI finds the local cloud: `--endpoint`, else `AWS_ENDPOINT_URL`, else the default port. */
export const resolveEndpoint = (flag: string | undefined): string =>
  flag ?? process.env['AWS_ENDPOINT_URL'] ?? 'http://127.0.0.1:4566';

/** Dummy credentials: the local cloud accepts any SigV4 signature. */
const config = (endpoint: string) => ({
  endpoint,
  region: process.env['AWS_REGION'] ?? 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 1,
  // StartSyncExecution and TestState go to `sync-<host>`, which does not resolve for a local endpoint.
  disableHostPrefix: true,
});

/** SDK clients bound to one local endpoint. */
export interface CliClients {
  readonly endpoint: string;
  readonly sfn: SFNClient;
  readonly events: EventBridgeClient;
}

export const createClients = (endpoint: string): CliClients => ({
  endpoint,
  sfn: new SFNClient(config(endpoint)),
  events: new EventBridgeClient(config(endpoint)),
});
