/** Injection tokens of the gateway's infrastructure. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
export const POSITIONS = Symbol('POSITIONS');
