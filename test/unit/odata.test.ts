import assert from 'node:assert/strict';
import { odataStringLiteral } from '../../connectors/odata.js';

describe('OData string literals (connectors/odata.ts)', () => {
  it('wraps a value in single quotes', () => {
    assert.equal(odataStringLiteral('Active'), "'Active'");
    assert.equal(odataStringLiteral(''), "''");
  });

  it('doubles every single quote inside, and nothing else', () => {
    assert.equal(odataStringLiteral("O'Brien"), "'O''Brien'");
    assert.equal(odataStringLiteral("''"), "''''''");
    assert.equal(odataStringLiteral('a "b" \\ c & d'), "'a \"b\" \\ c & d'");
  });
});
