export * from './order-submitted';
