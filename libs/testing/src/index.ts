export * from './lambda-context';
export * from './events';
export * from './samples';
export * from './capture-output';
export * from './local-dynamodb';
export * from './approvals-table';
export * from './kill-writer';
