import { executionArn, pricedOrder } from './__fixtures__/orders';
import {
  InventoryTaskInputSchema,
  ReleaseInventoryOutputSchema,
  ReserveInventoryOutputSchema,
} from './inventory';
import { RetryableTaskErrorNames, TaskErrorNames, VALIDATION_ERROR_NAME } from './names';
import { OrderFailedDetailSchema, OrderApprovedDetailSchema } from './outcome-events';
import {
  OrderSubmittedEnvelopeSchema,
  ProcessTaskInputSchema,
  ProcessTaskOutputSchema,
} from './process-task';
import { ScoreRiskInputSchema, ScoreRiskOutputSchema } from './risk';
import { WorkflowStateSchema } from './workflow-state';

describe('ProcessTask contracts', () => {
  const event = {
    version: '0',
    id: 'evt-1',
    'detail-type': 'OrderSubmitted',
    source: 'com.example.orders',
    account: '000000000000',
    time: '2026-11-24T09:30:01Z',
    region: 'us-east-1',
    resources: [],
    detail: { anything: true },
  };

  it('accepts the workflow payload: any execution input as event, plus the execution id', () => {
    // Arrange
    const payloads = [
      { event, executionId: executionArn },
      { event: { status: 'success' }, executionId: executionArn },
    ];

    // Act
    const parsed = payloads.map((payload) => ProcessTaskInputSchema.parse(payload));

    // Assert
    expect(parsed).toStrictEqual(payloads);
  });

  it('fails when the payload is not wrapped with an execution ARN (a wiring bug)', () => {
    // Act
    const results = [event, { event, executionId: 'run-1' }].map(
      (payload) => ProcessTaskInputSchema.safeParse(payload).success,
    );

    // Assert
    expect(results).toStrictEqual([false, false]);
  });

  it('accepts an OrderSubmitted envelope whose detail is not validated yet', () => {
    // Act
    const parsed = OrderSubmittedEnvelopeSchema.parse(event);

    // Assert
    expect(parsed).toStrictEqual(event);
  });

  it('fails when the envelope has no id (the idempotency key), another detail-type or no object detail', () => {
    // Act
    const result = OrderSubmittedEnvelopeSchema.safeParse({
      version: '0',
      'detail-type': 'Other',
      detail: 1,
    });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toStrictEqual(
      expect.arrayContaining(['id', 'detail-type', 'detail']),
    );
  });

  it('accepts every output variant and routes on status', () => {
    // Arrange
    const success = { status: 'success', eventId: 'evt-1', order: pricedOrder };
    const duplicate = {
      status: 'duplicate',
      eventId: 'evt-1',
      orderId: 'ord-1001',
      firstExecutionId: executionArn,
    };
    const invalid = {
      status: 'invalid',
      eventId: 'evt-2',
      orderId: 'ord-2',
      errors: [{ path: 'lines.0.quantity', message: 'must be at least 1' }],
      validation: {
        error: VALIDATION_ERROR_NAME,
        cause: '1 validation error: lines.0.quantity: must be at least 1',
      },
    };

    // Act
    const parsed = [success, invalid, duplicate].map((output) => ProcessTaskOutputSchema.parse(output));

    // Assert
    expect(parsed).toStrictEqual([success, invalid, duplicate]);
  });

  it('fails when an invalid result carries no errors', () => {
    // Act
    const result = ProcessTaskOutputSchema.safeParse({
      status: 'invalid',
      eventId: 'evt-2',
      errors: [],
      validation: { error: VALIDATION_ERROR_NAME, cause: 'x' },
    });

    // Assert
    expect(result.success).toBe(false);
  });
});

describe('inventory contracts', () => {
  it('selects the action by the action field and drops unknown state fields', () => {
    // Arrange
    const reserve = { action: 'reserve', order: pricedOrder, executionId: executionArn, status: 'success' };
    const release = { action: 'release', orderId: 'ord-1001', reason: 'expired' };

    // Act
    const parsed = [reserve, release].map((input) => InventoryTaskInputSchema.parse(input));

    // Assert
    expect(parsed).toStrictEqual([
      { action: 'reserve', order: pricedOrder, executionId: executionArn },
      { action: 'release', orderId: 'ord-1001', reason: 'expired' },
    ]);
  });

  it('fails when the action is unknown or the release reason is missing', () => {
    // Act
    const unknownAction = InventoryTaskInputSchema.safeParse({ action: 'restock', orderId: 'ord-1' });
    const noReason = InventoryTaskInputSchema.safeParse({ action: 'release', orderId: 'ord-1' });

    // Assert
    expect([unknownAction.success, noReason.success]).toStrictEqual([false, false]);
  });

  it('accepts the reserve and release outputs', () => {
    // Arrange
    const reserved = {
      status: 'reserved',
      reservationId: 'RESERVATION#ord-1001',
      orderId: 'ord-1001',
      items: [{ sku: 'BOOK-001', quantity: 2 }],
      reservedAt: '2026-11-24T09:30:02.000Z',
    };
    const released = { status: 'not-reserved', orderId: 'ord-1001', items: [] };

    // Act & Assert
    expect(ReserveInventoryOutputSchema.parse(reserved)).toStrictEqual(reserved);
    expect(ReleaseInventoryOutputSchema.parse(released)).toStrictEqual(released);
  });
});

describe('ScoreRisk contracts', () => {
  it('accepts the workflow state as input and keeps only the order', () => {
    // Act
    const parsed = ScoreRiskInputSchema.parse({ status: 'success', eventId: 'evt-1', order: pricedOrder });

    // Assert
    expect(parsed).toStrictEqual({ order: pricedOrder });
  });

  it('fails when the score is outside 0..100', () => {
    // Act
    const result = ScoreRiskOutputSchema.safeParse({ score: 101, level: 'high', reasons: [] });

    // Assert
    expect(result.success).toBe(false);
  });
});

describe('workflow state and outcome events', () => {
  it('accepts the state after ParallelTasks and AwaitApproval', () => {
    // Arrange
    const state = {
      status: 'success',
      eventId: 'evt-1',
      order: pricedOrder,
      checks: {
        reservation: {
          status: 'reserved',
          reservationId: 'RESERVATION#ord-1001',
          orderId: 'ord-1001',
          items: [{ sku: 'BOOK-001', quantity: 2 }],
          reservedAt: '2026-11-24T09:30:02.000Z',
        },
        risk: { score: 10, level: 'low', reasons: [] },
      },
      approval: {
        approvalId: 'appr-1',
        decision: 'approve',
        approver: 'alice',
        comment: '',
        decidedAt: '2026-11-24T11:00:00.000Z',
        channel: 'http',
      },
    };

    // Act
    const parsed = WorkflowStateSchema.parse(state);

    // Assert
    expect(parsed).toStrictEqual(state);
  });

  it('accepts an auto-approved OrderApproved detail and fails an OrderFailed without an error name', () => {
    // Arrange
    const approved = {
      orderId: 'ord-1001',
      customerId: 'cust-042',
      executionId: executionArn,
      currency: 'EUR',
      total: 53.3,
      riskLevel: 'low',
    };

    // Act
    const approvedResult = OrderApprovedDetailSchema.safeParse(approved);
    const failedResult = OrderFailedDetailSchema.safeParse({ executionId: executionArn, error: '' });

    // Assert
    expect([approvedResult.success, failedResult.success]).toStrictEqual([true, false]);
  });
});

describe('task error names', () => {
  it('are Error-suffixed and only the transient ones are retryable', () => {
    // Act
    const names = Object.values(TaskErrorNames);

    // Assert
    expect(names.every((name) => name.endsWith('Error'))).toBe(true);
    expect(RetryableTaskErrorNames).toStrictEqual([
      'TransientDependencyError',
      'IdempotencyAlreadyInProgressError',
    ]);
  });
});
