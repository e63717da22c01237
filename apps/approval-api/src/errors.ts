/** The approval has no stored task token: its request was never fully recorded. Retryable. */
export class MissingTaskTokenError extends Error {
  constructor(approvalId: string) {
    super(`approval ${approvalId} has no task token stored`);
    this.name = 'MissingTaskTokenError';
  }
}
