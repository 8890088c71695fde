export * from './errors';
export * from './connection';
export * from './events-stream';
export * from './consumer';
