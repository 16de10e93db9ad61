export * from './allocation';
export * from './api-errors';
export * from './decimal-display';
export * from './history-chart';
export * from './leaderboard';
export * from './live-positions';
export * from './reconnect';
export * from './trade-form';
