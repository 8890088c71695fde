export * from './values';
export * from './template.events.v1';
export * from './template';
export * from './session.events.v1';
export * from './session';
export * from './admission';
export * from './session-decide';
