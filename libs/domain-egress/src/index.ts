export * from './events.v1';
export * from './egress-profile';
