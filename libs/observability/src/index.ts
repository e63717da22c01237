export * from './config';
export * from './redaction';
export * from './powertools';
export * from './correlation';
export * from './middleware';
export * from './clients';
export * from './task-errors';
