import { executionArn, pricedOrder } from './__fixtures__/orders';
import { OrderFailedDetailSchema } from './outcome-events';
import { ProcessTaskInvalidSchema } from './process-task';
import { type WorkflowState, WorkflowPaths, WorkflowStateSchema } from './workflow-state';

/** Reads a simple `$.a.b.c` JSONPath (what WorkflowPaths contains) from a value. */
const read = (value: unknown, jsonPath: string): unknown =>
  jsonPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((segment) => segment.length > 0)
    .reduce<unknown>(
      (current, key) =>
        typeof current === 'object' && current !== null
          ? (current as Record<string, unknown>)[key]
          : undefined,
      value,
    );

const state: WorkflowState = WorkflowStateSchema.parse({
  status: 'success',
  eventId: 'evt-1',
  executionId: executionArn,
  order: pricedOrder,
  checks: {
    reservation: {
      status: 'reserved',
      reservationId: 'RESERVATION#ord-1001',
      orderId: 'ord-1001',
      items: [{ sku: 'BOOK-001', quantity: 2 }],
      reservedAt: '2026-11-24T09:30:02.000Z',
    },
    risk: { score: 40, level: 'medium', reasons: [{ code: 'AMOUNT_ELEVATED', points: 15, detail: 'x' }] },
  },
  approval: {
    approvalId: 'appr-1',
    decision: 'approve',
    approver: 'alice',
    comment: '',
    decidedAt: '2026-11-24T11:00:00.000Z',
    channel: 'http',
  },
  error: { Error: 'States.Timeout', Cause: 'timed out' },
});

describe('WorkflowPaths', () => {
  it.each(Object.entries(WorkflowPaths).filter(([name]) => !name.startsWith('validation')))(
    '%s (%s) points at a field of the workflow state',
    (_name, jsonPath) => {
      // Act
      const value = read(state, jsonPath);

      // Assert
      expect(value).toBeDefined();
    },
  );

  it('validationCause points at the cause string of an invalid ProcessTask result', () => {
    // Arrange
    const invalid = ProcessTaskInvalidSchema.parse({
      status: 'invalid',
      eventId: 'evt-2',
      errors: [{ path: 'lines', message: 'must contain at least one line' }],
      validation: {
        error: 'ValidationError',
        cause: '1 validation error: lines: must contain at least one line',
      },
    });

    // Act
    const cause = read(invalid, WorkflowPaths.validationCause);

    // Assert
    expect(cause).toBe('1 validation error: lines: must contain at least one line');
  });

  it('validation points at an OrderFailed detail (what PublishValidationFailed puts on the bus as is)', () => {
    // Arrange
    const invalid = ProcessTaskInvalidSchema.parse({
      status: 'invalid',
      executionId: executionArn,
      errors: [{ path: 'id', message: 'required' }],
      validation: {
        error: 'ValidationError',
        cause: 'input is not an OrderSubmitted event: 1 validation error: id: required',
        executionId: executionArn,
      },
    });

    // Act
    const detail = OrderFailedDetailSchema.safeParse(read(invalid, WorkflowPaths.validation));

    // Assert
    expect(detail.success).toBe(true);
  });

  it('fails to resolve a path that is not in the state (the check can fail)', () => {
    // Act
    const value = read(state, '$.order.totals.grandTotal');

    // Assert
    expect(value).toBeUndefined();
  });
});
