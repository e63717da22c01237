/** Definitions shared by the durability test and its child process. */
export const CALLBACK_DEFINITION = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token', 'i.$': '$.i' } },
      ResultPath: '$.answer',
      Next: 'After',
    },
    After: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { 'i.$': '$.i' },
      ResultPath: null,
      End: true,
    },
  },
};

export const WAIT_DEFINITION = {
  StartAt: 'Before',
  States: {
    Before: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { 'i.$': '$.i' },
      ResultPath: null,
      Next: 'Sleep',
    },
    Sleep: { Type: 'Wait', Seconds: 3600, Next: 'After' },
    After: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { 'i.$': '$.i' },
      ResultPath: null,
      End: true,
    },
  },
};
