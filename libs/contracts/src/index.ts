export * from './order-submitted';
export * from './names';
export * from './approval-request';
export * from './approval-decision';
export * from './approval-record';
export * from './approval-identity';
export * from './approval-table';
