export * from './events.v1';
export * from './events';
export * from './commands';
export * from './project';
export * from './validation';
export * from './decide';
export * from './registration';
