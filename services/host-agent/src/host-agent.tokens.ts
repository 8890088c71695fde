/** Nest injection token of the validated configuration object. */
export const HOST_AGENT_CONFIG = Symbol('HOST_AGENT_CONFIG');
