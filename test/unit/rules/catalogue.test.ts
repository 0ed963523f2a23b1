/**
 * The catalogue keeps code, tests and documentation together: every rule is emitted by the rule code,
 * tested under its own name, and listed on the generated docs page.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { RULES } from '../../../core/rules/index.js';
import { renderRulesMarkdown } from '../../../core/rules/render-docs.js';

const root = new URL('../../../', import.meta.url);
const read = (dir: string) =>
  readdirSync(new URL(dir, root), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(new URL(`${dir}/${f}`, root), 'utf8'))
    .join('\n');

describe('rule catalogue', () => {
  const ruleCode = read('core/rules');
  const tests = read('test/unit/rules');

  for (const code of Object.keys(RULES)) {
    it(`${code} is emitted by a rule and tested under its own name`, () => {
      const emitted = new RegExp(`(error|warning)\\('${code.replace(/\./g, '\\.')}'`).test(ruleCode);
      assert.ok(emitted, `${code} is in the catalogue but no rule emits it`);
      // Named directly (`ruleTitle('code')`) or through a table of codes passed to ruleTitle.
      assert.ok(tests.includes(`ruleTitle('${code}')`) || tests.includes(`['${code}',`), `${code} has no test named after it`);
    });
  }

  it('docs/rules.md is the page generated from the catalogue (run `npm run docs`)', () => {
    assert.equal(readFileSync(new URL('docs/rules.md', root), 'utf8'), renderRulesMarkdown());
  });
});
