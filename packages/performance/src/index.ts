export * from './performance';
export * from './positions-statement';
export * from './rebalance';
export * from './reconcile';
export * from './returns';
export * from './xirr';
