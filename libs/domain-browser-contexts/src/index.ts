export * from './browser-context';
