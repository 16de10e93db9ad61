export * from './performance';
export * from './rebalance';
export * from './returns';
export * from './xirr';
