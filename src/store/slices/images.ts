// The images slice, keyed by fingerprint.
import type { Image } from '../../lxd/types.js';
import type { State } from '../state.js';
import { dropRows, withoutKeys, type Handlers } from './shared.js';

export const imageReducers: Handlers<'images/loaded' | 'image/removed'> = {
  'images/loaded': (state, action) => {
    const images: Record<string, Image> = {};
    for (const img of action.images ?? []) {
      if (img && typeof img.fingerprint === 'string') images[img.fingerprint] = img;
    }
    const gone = Object.keys(state.images).filter((k) => !images[k]);
    const next: State = { ...state, images };
    return gone.length ? dropRows(state, next, 'images', gone) : next;
  },
  'image/removed': (state, action) => {
    if (!state.images[action.fingerprint]) return state;
    const next: State = { ...state, images: withoutKeys(state.images, (k) => k === action.fingerprint) };
    return dropRows(state, next, 'images', [action.fingerprint]);
  },
};
