/** The runtime backend the gateway drives (`RuntimeBackend` from `@bpane/runtime-backend`), or null. */
export const RUNTIME_BACKEND = Symbol('RUNTIME_BACKEND');
