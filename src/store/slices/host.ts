// The header's meters and the server's warnings: each answer replaces the last (both are small).
import type { Handlers } from './shared.js';

export const hostReducers: Handlers<'meters/loaded' | 'warnings/loaded'> = {
  'meters/loaded': (state, action) => ({ ...state, meters: action.meters }),
  'warnings/loaded': (state, action) => ({ ...state, warnings: action.warnings }),
};
