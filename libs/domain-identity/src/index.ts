export * from './events.v1';
export * from './events';
export * from './commands';
export * from './validation';
export * from './service-principal';
export * from './identity-mapping';
