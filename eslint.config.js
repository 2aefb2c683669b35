// Lint rules (npm run lint): typescript-eslint's recommended set, lines within 120 characters
// (long strings, templates, URLs and regular expressions aside: prettier formats the rest).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'web/', 'test/fixtures/', 'test/r/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
);
