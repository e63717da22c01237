import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { type CliClients } from './clients';

/** `send-success <token> [--output <json>]` (output defaults to `{}`; the token is never echoed). */
export const sendSuccess = async (clients: CliClients, taskToken: string, output = '{}'): Promise<string> => {
  try {
    JSON.parse(output);
  } catch {
    throw new Error('--output must be JSON text.');
  }
  await clients.sfn.send(new SendTaskSuccessCommand({ taskToken, output }));
  return 'Task success sent.';
};

/** `send-failure <token> [--error E] [--cause C]` */
export const sendFailure = async (
  clients: CliClients,
  taskToken: string,
  error?: string,
  cause?: string,
): Promise<string> => {
  await clients.sfn.send(
    new SendTaskFailureCommand({
      taskToken,
      ...(error === undefined ? {} : { error }),
      ...(cause === undefined ? {} : { cause }),
    }),
  );
  return 'Task failure sent.';
};
