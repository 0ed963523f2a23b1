// Writes the generated documentation pages: `npm run docs`.
import { writeFileSync } from 'node:fs';
import { renderRulesMarkdown } from '../core/rules/render-docs.js';

writeFileSync(new URL('./rules.md', import.meta.url), renderRulesMarkdown());
