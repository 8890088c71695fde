export * from './protocol';
export * from './interactions';
export * from './errors';
export * from './config';
export * from './acquire';
export * from './select';
