/** sameJson answers as isDeepStrictEqual does, for JSON data and for what it hands over. */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { sameJson } from '../../connectors/partner-center/mapping/same-json.js';
import { referralToApi } from '../../connectors/partner-center/mapping/to-api.js';
import { fullOutboundReferral } from '../helpers/partner-center-sandbox-fixtures.js';

describe('Partner Center mapping: sameJson', () => {
  const api = referralToApi(fullOutboundReferral()) as unknown as Record<string, unknown>;
  const withHole: unknown[] = [1];
  withHole[2] = 3;
  const pairs: [unknown, unknown][] = [
    [1, 1], [1, '1'], [0, -0], [NaN, NaN], [null, undefined], [null, {}], ['a', 'a'], [true, false],
    [{}, {}], [{ a: 1 }, { a: 1 }], [{ a: 1, b: 2 }, { b: 2, a: 1 }], [{ a: undefined }, {}], [{ a: undefined }, { b: undefined }],
    [{ a: undefined }, { a: undefined }], [{ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }], [{ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }],
    [[], []], [[1, 2], [1, 2]], [[1, 2], [2, 1]], [[1], [1, 2]], [[1, undefined, 3], withHole], [withHole, [...withHole]],
    [[{ a: 1 }], { 0: { a: 1 } }], [{ length: 0 }, []], [Object.create(null), {}], [new Date(0), new Date(0)], [new Date(0), new Date(1)],
    [{ [Symbol.for('s')]: 1 }, {}], [api, structuredClone(api)], [api, { ...api, status: 'Closed' }],
    [api.team, structuredClone(api.team)], [api, JSON.parse(JSON.stringify(api))],
  ];

  it('agrees with isDeepStrictEqual', () => {
    for (const [a, b] of pairs) {
      assert.equal(sameJson(a, b), isDeepStrictEqual(a, b), `${String(JSON.stringify(a))} against ${String(JSON.stringify(b))}`);
      assert.equal(sameJson(b, a), isDeepStrictEqual(b, a));
    }
  });
});
