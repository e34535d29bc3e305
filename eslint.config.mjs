// Lint: TypeScript's recommended rules with type information, promises that are never awaited, and the
// module tree (architecture rule 2): a server module reaches another module only through its index.ts.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** An import that reaches into another server module past its index.ts; `up` is how many `../` lead to modules/. */
const intoAnotherModule = (up) => ({
  regex: `^${'\\.\\./'.repeat(up)}[^./][^/]*/(?!index\\.js$).+`,
  message: 'A module imports another module only through its index.ts (architecture rule 2).',
})

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'client/.swc/**',
      'client/.temp/**',
      'server/drizzle/**',
      'server/data/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `declare module` augmentations of a library's types need its namespaces.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    // Tests read answers field by field after a schema has checked their shape.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The mini-program runtime hands functions to WeChat's components, which call them with their own `this`.
    files: ['client/weapp-test/runtime/**'],
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    files: ['server/src/modules/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [intoAnotherModule(1)] }] },
  },
  {
    files: ['server/src/modules/*/*/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [intoAnotherModule(2)] }] },
  },
  {
    files: ['server/src/*.ts', 'server/src/*/*.ts'],
    ignores: ['server/src/modules/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'modules/[^/]+/(?!index\\.js$).+',
              message: 'Code outside the modules reaches a module only through its index.ts.',
            },
          ],
        },
      ],
    },
  },
)
