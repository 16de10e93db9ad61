export * from './performance';
export * from './returns';
export * from './xirr';
