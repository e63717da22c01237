import { type ApprovalRequestMessage, ApprovalRequestMessageSchema } from '@flow/contracts';

/** The SQS body is not an approval request. Terminal: the message goes to the DLQ after its retries. */
export class InvalidApprovalRequestError extends Error {
  constructor(
    message: string,
    readonly fields: readonly string[],
  ) {
    super(message);
    this.name = 'InvalidApprovalRequestError';
  }
}

/**
 * Parses an approvals-queue message body. `onToken` is called with the task token as soon as one is seen (even in
 * an otherwise invalid message), so the caller can register it for log redaction before anything is logged.
 * Error messages name fields, never values.
 */
export const parseApprovalRequest = (
  body: string,
  onToken: (token: string) => void,
): ApprovalRequestMessage => {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new InvalidApprovalRequestError('approval request body is not JSON', ['body']);
  }
  if (typeof raw === 'object' && raw !== null && 'taskToken' in raw && typeof raw.taskToken === 'string') {
    onToken(raw.taskToken);
  }
  const parsed = ApprovalRequestMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
    throw new InvalidApprovalRequestError(`invalid approval request: ${fields.join(', ')}`, fields);
  }
  return parsed.data;
};
