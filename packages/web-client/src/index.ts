export * from './allocation';
export * from './api-errors';
export * from './decimal-display';
export * from './live-positions';
export * from './reconnect';
export * from './trade-form';
