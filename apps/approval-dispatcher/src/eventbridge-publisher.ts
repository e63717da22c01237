import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  type ApprovalRequestedDetail,
  ApprovalRequestedDetailSchema,
  DetailTypes,
  EventSources,
} from '@flow/contracts';
import type { ApprovalEventPublisher } from './ports';

/** PutEvents reported the entry as failed (throttling, internal error): retry the message. */
export class PublishFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishFailedError';
  }
}

/** {@link ApprovalEventPublisher} over EventBridge PutEvents on the orders bus. */
export class EventBridgePublisher implements ApprovalEventPublisher {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publishApprovalRequested(detail: ApprovalRequestedDetail): Promise<void> {
    // Validated (strict: no extra field, so never a token) before it leaves the service.
    const checked = ApprovalRequestedDetailSchema.parse(detail);
    const result = await this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: EventSources.Approvals,
            DetailType: DetailTypes.ApprovalRequested,
            Detail: JSON.stringify(checked),
            Resources: [checked.executionId],
          },
        ],
      }),
    );
    const failed = result.Entries?.find((entry) => entry.ErrorCode !== undefined);
    if ((result.FailedEntryCount ?? 0) > 0 || failed !== undefined) {
      throw new PublishFailedError(
        `PutEvents rejected ApprovalRequested for ${checked.approvalId}: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}
