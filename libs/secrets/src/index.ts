export * from './errors';
export * from './secret-box';
export * from './key-file';
