import { TaskFailure } from './errors';
import { harness, lambdaInvoke, types } from './test-support';
import type { JsonValue } from './types';

/** An order-approval workflow shaped like the CDK-synthesized ComplexWorkflow (LambdaInvoke defaults included). */
const LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ClientExecutionTimeoutException',
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};
const invoke = (fn: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `arn:aws:lambda:us-east-1:000000000000:function:${fn}`, 'Payload.$': '$' },
  ResultSelector: { 'Payload.$': '$.Payload' },
  OutputPath: '$.Payload',
  Retry: [LAMBDA_RETRY],
  ...extra,
});
const WORKFLOW = {
  StartAt: 'ProcessTask',
  TimeoutSeconds: 30 * 24 * 3600,
  States: {
    ProcessTask: invoke('process-order', {
      Retry: [
        LAMBDA_RETRY,
        {
          ErrorEquals: ['States.TaskFailed'],
          IntervalSeconds: 2,
          MaxAttempts: 3,
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        },
      ],
      Next: 'CheckStatus',
    }),
    CheckStatus: {
      Type: 'Choice',
      Choices: [{ Variable: '$.status', StringEquals: 'success', Next: 'ParallelTasks' }],
      Default: 'Failed',
    },
    Failed: { Type: 'Fail', Error: 'ValidationError', Cause: 'the order did not validate' },
    ParallelTasks: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'ReserveInventory',
          States: { ReserveInventory: invoke('reserve-inventory', { End: true }) },
        },
        { StartAt: 'ScoreRisk', States: { ScoreRisk: invoke('score-risk', { End: true }) } },
      ],
      ResultSelector: { 'reservation.$': '$[0]', 'risk.$': '$[1]' },
      ResultPath: '$.checks',
      Next: 'NeedsApproval',
    },
    NeedsApproval: {
      Type: 'Choice',
      Choices: [{ Variable: '$.checks.risk.score', NumericGreaterThan: 50, Next: 'AwaitApproval' }],
      Default: 'Finalize',
    },
    AwaitApproval: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: 'http://127.0.0.1:4566/000000000000/approvals',
        MessageBody: {
          'taskToken.$': '$$.Task.Token',
          'orderId.$': '$.orderId',
          'executionId.$': '$$.Execution.Id',
        },
      },
      HeartbeatSeconds: 3600,
      TimeoutSeconds: 7 * 24 * 3600,
      ResultPath: '$.approval',
      Catch: [
        {
          ErrorEquals: ['States.Timeout', 'States.HeartbeatTimeout'],
          ResultPath: '$.error',
          Next: 'TimedOut',
        },
      ],
      Next: 'ApprovalDecision',
    },
    ApprovalDecision: {
      Type: 'Choice',
      Choices: [{ Variable: '$.approval.decision', StringEquals: 'approved', Next: 'Finalize' }],
      Default: 'Rejected',
    },
    Rejected: { Type: 'Pass', Result: 'rejected', ResultPath: '$.outcome', End: true },
    TimedOut: { Type: 'Pass', Result: 'timed-out', ResultPath: '$.outcome', End: true },
    Finalize: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: {
        Entries: [
          { Source: 'flow.orders', DetailType: 'OrderApproved', 'Detail.$': '$', EventBusName: 'orders' },
        ],
      },
      ResultPath: null,
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

async function setup(risk: number, processFailures = 0) {
  const h = await harness();
  let failures = processFailures;
  h.integrations.on('lambda:invoke', async (inv) => {
    const p = inv.parameters as { FunctionName: string; Payload: { orderId: string; status?: string } };
    const fn = p.FunctionName.split(':').pop();
    const handlers: Record<string, (x: JsonValue) => JsonValue> = {
      'process-order': (x) => {
        if (failures-- > 0) throw new TaskFailure('Lambda.ServiceException', '{"errorMessage":"throttled"}');
        return { ...(x as object), status: 'success' };
      },
      'reserve-inventory': () => ({ reserved: true }),
      'score-risk': () => ({ score: risk }),
    };
    return lambdaInvoke((x) => (handlers[fn ?? ''] ?? (() => null))(x))(inv);
  });
  h.integrations.on('sqs:sendMessage', async () => ({ MessageId: 'm-1', MD5OfMessageBody: 'x' }));
  h.integrations.on('events:putEvents', async () => ({ Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 }));
  return h;
}

describe('an order-approval workflow shaped like ComplexWorkflow', () => {
  it('finalizes a low-risk order without approval, retrying a throttled Lambda', async () => {
    // Arrange
    const h = await setup(10, 2);
    // Act
    const r = await h.run(WORKFLOW, { orderId: 'o-1' });
    // Assert
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toStrictEqual({
      orderId: 'o-1',
      status: 'success',
      checks: { reservation: { reserved: true }, risk: { score: 10 } },
    });
    expect(types(r.events).filter((t) => t === 'TaskFailed')).toHaveLength(2);
    expect(h.integrations.calls.map((c) => `${c.service}:${c.action}`)).toStrictEqual([
      'lambda:invoke',
      'lambda:invoke',
      'lambda:invoke',
      'lambda:invoke',
      'lambda:invoke',
      'events:putEvents',
    ]);
  });

  it('waits for an approver on a high-risk order and finalizes when approved', async () => {
    // Arrange
    const h = await setup(90);
    const arn = await h.start(WORKFLOW, { orderId: 'o-2' });
    await h.clock.advance(0);
    const message = h.integrations.calls.find((c) => c.service === 'sqs');
    const body = (message?.parameters as { MessageBody: { taskToken: string; executionId: string } })
      .MessageBody;
    // Act
    await h.clock.advance(30 * 60 * 1000);
    await h.engine.sendTaskHeartbeat({ taskToken: body.taskToken });
    await h.clock.advance(50 * 60 * 1000);
    await h.engine.sendTaskSuccess({
      taskToken: body.taskToken,
      output: JSON.stringify({ decision: 'approved', approver: 'ann' }),
    });
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(body.executionId).toBe(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '').approval).toStrictEqual({ decision: 'approved', approver: 'ann' });
    expect(h.integrations.calls.at(-1)?.service).toBe('events');
  });

  it('takes the timeout path when no approver answers for 7 days', async () => {
    // Arrange
    const h = await setup(90);
    const arn = await h.start(WORKFLOW, { orderId: 'o-3' });
    await h.clock.advance(0);
    const token = (h.integrations.calls.find((c) => c.service === 'sqs')?.taskToken ?? '') as string;
    // Act: heartbeats every 50 minutes keep it alive until the task timeout
    for (let elapsed = 0; elapsed < 7 * 24 * 3600 * 1000; elapsed += 50 * 60 * 1000) {
      const status = (await h.engine.describeExecution({ executionArn: arn })).status;
      if (status !== 'RUNNING') break;
      await h.engine.sendTaskHeartbeat({ taskToken: token }).catch(() => undefined);
      await h.clock.advance(50 * 60 * 1000);
    }
    const d = await h.engine.waitForExecution(arn);
    // Assert
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toMatchObject({
      outcome: 'timed-out',
      error: { Error: 'States.Timeout' },
    });
  });
});
