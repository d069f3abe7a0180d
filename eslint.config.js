// Lint: TypeScript rules plus Nx module boundaries. The `depConstraints` encode the
// dependency order of ARCHITECTURE.md: core <- policy, lake <- ingestion, processing,
// governance <- bi, ml; observability takes what it watches as props; apps use packages.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

/** Which scopes each scope may import. Keep in step with ARCHITECTURE.md. */
const allowed = {
  'scope:core': ['scope:core'],
  'scope:policy': ['scope:core'],
  'scope:lake': ['scope:core'],
  'scope:ingestion': ['scope:core', 'scope:lake'],
  'scope:processing': ['scope:core', 'scope:lake'],
  'scope:governance': ['scope:core', 'scope:lake'],
  'scope:bi': ['scope:core', 'scope:lake', 'scope:governance'],
  'scope:ml': ['scope:core', 'scope:lake', 'scope:governance'],
  'scope:observability': ['scope:core'],
  'scope:app': ['scope:*'],
  'scope:scripts': ['scope:core', 'scope:policy'],
};

/** The module-boundaries rule; `extra` scopes are allowed to every project on top of `allowed`. */
function boundaries(extra) {
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        ...Object.entries(allowed).map(([sourceTag, tags]) => ({
          sourceTag,
          onlyDependOnLibsWithTags: [...tags, ...extra],
        })),
        { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:app'] },
      ],
    },
  ];
}

module.exports = [
  { ignores: ['**/node_modules/**', '**/cdktf.out/**', '**/.work/**', '**/dist/**', '**/*.js'] },
  ...tseslint.configs.recommended,

  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      // Deep imports keep synth fast: the provider's root index loads every AWS resource.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message: 'Import the resource by deep path (@cdktf/provider-aws/lib/<resource>): the root index loads every AWS resource and makes synth ~8x slower.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Tests of a layer's constructs run the policy pack on what they build (code may not).
  {
    files: ['packages/**/*.test.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['scope:policy']) },
  },
];
