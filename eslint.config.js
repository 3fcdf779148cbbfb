// ESLint for src/, test/, scripts/ and bench/: the recommended rules of ESLint and typescript-eslint
// plus React's hooks rules. `npm run lint` fails on any warning; the README's test command runs it.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'screenshots/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // `_name` marks a parameter or binding that is there on purpose (a callback's shape).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A terminal program matches escape sequences and control characters on purpose.
      'no-control-regex': 'off',
      // The React Compiler's rule: lxtop does not use the compiler, and its components keep the latest
      // callback or frame key in a ref written during render on purpose (read by effects and timers).
      'react-hooks/refs': 'off',
      // Keys reach the app through one subscription (src/app/key-input.tsx), there before any
      // dialog opens: a component's own listener, attached after its first frame, loses type-ahead.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'ink', importNames: ['useInput'], message: 'keys come from the registry through src/app/key-input.tsx' }, { name: 'ink-select-input', message: 'pickers are drawn by src/views/dialogs.tsx and moved by the app keys' }] },
      ],
    },
  },
);
