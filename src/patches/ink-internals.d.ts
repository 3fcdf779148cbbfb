// The virtual module ink-internals.mjs provides in the bundle: Ink's Output class and the ANSI
// tokenizer, the very copies the bundled Ink renders with (ink-output.ts patches them).
declare module 'lxtop:ink-internals' {
  export const version: string;
  export const Output: unknown;
  export const tok: unknown;
}
