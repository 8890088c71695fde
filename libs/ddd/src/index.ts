export * from './store-port';
export * from './decider';
export * from './domain-error';
export * from './upcasting';
export * from './retry';
export * from './command-pipeline';
export * from './registry';
export * from './decider-spec';
