// The store's public surface for views and the app.
export * from './state.js';
export { createStore, type CreateStoreOptions } from './store.js';
export * from './selectors.js';
export { SORT_COLUMNS, defaultDirection } from './ui-reducers.js';
export { createController } from './controller.js';
export { validateInstanceName } from './actions.js';
export { HISTORY_METRICS, HISTORY_WINDOW_MS, createHistory, type History, type HistoryMetric, type HistoryReader, type HistorySeries } from './history.js';
