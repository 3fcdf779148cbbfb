// The store's public surface for views and the app.
export * from './state.js';
export { createStore, type CreateStoreOptions } from './store.js';
export { reduce, OPERATION_KEEP_MS, operationOutcome } from './reducers.js';
export * from './selectors.js';
export { computeMetrics, EMPTY_METRICS } from './metrics.js';
export { SORT_COLUMNS, defaultDirection } from './ui-reducers.js';
export { createController } from './controller.js';
export { validateInstanceName } from './actions.js';
