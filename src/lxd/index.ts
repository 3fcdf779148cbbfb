// Public surface of lxd/: the contract (api.ts, types.ts) and its implementation.
export type * from './api.js';
export type * from './types.js';
export * from './errors.js';
export * from './tls.js';
export * from './transport.js';
export * from './request.js';
export * from './capabilities.js';
export * from './names.js';
export * from './operations.js';
export * from './normalize.js';
export * from './socket.js';
export * from './events.js';
export * from './client.js';
export * from './connect.js';
export * from './metrics.js';
