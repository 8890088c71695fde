export * from './runtime-backend';
export * from './local/local-backend';
export * from './local/proc';
