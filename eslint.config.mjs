// One flat config for the whole workspace. Boundaries between projects are enforced here, by Nx tags.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  {
    ignores: ['**/node_modules', '**/dist', '**/cdk.out', '**/coverage', '**/.local-cloud', '**/tmp', '**/*.cjs', '**/*.mjs', '**/*.js'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: false,
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:lib', bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'] },
            { sourceTag: 'type:app', bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-nag'] },
            { sourceTag: 'type:tool', bannedExternalImports: ['aws-cdk-lib', 'aws-cdk-lib/*', 'cdk-nag'] },
            { sourceTag: 'scope:contracts', bannedExternalImports: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*'] },
            { sourceTag: 'scope:engine', bannedExternalImports: ['@aws-sdk/*', 'node:http', 'node:https', 'http', 'https', 'node:net'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No focused tests.' },
        { selector: "CallExpression[callee.property.name='skip']", message: 'No skipped tests.' },
        { selector: "CallExpression[callee.name='xit']", message: 'No skipped tests.' },
        { selector: "CallExpression[callee.name='xdescribe']", message: 'No skipped tests.' },
      ],
    },
  },
  prettier,
];
