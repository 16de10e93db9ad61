export * from './decimal-display';
export * from './reconnect';
export * from './trade-form';
