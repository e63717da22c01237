export * from './order-submitted';
export * from './names';
