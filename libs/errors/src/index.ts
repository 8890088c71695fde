export * from './bpane-error';
