/** A typed value is read as the member it spells in any of its spellings, whatever its case and punctuation. */
import assert from 'node:assert/strict';
import { DealType, defineCodedEnum, nameFromText, SolutionKind, type CodedEnum } from '../../../core/model/index.js';

const variants = (s: string) => [s, s.toUpperCase(), s.toLowerCase(), ` ${s.replace(/ /g, '-')} `, s.replace(/ /g, '')];
const compacted = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

describe('nameFromText', () => {
  for (const e of [DealType, SolutionKind] as CodedEnum<string>[]) {
    it(`${e.enumName}: each spelling of each member, typed any way, reads as the first member spelling it`, () => {
      for (const v of e.values) {
        for (const spelling of [v.name, v.api, v.code, v.label]) {
          const first = e.values.find((m) => [m.name, m.api, m.code, m.label].some((s) => compacted(s) === compacted(spelling)));
          for (const typed of variants(spelling)) assert.equal(nameFromText(e, typed), first?.name, `${e.enumName} "${typed}"`);
        }
      }
    });
  }

  it('reads nothing from an empty or unknown text, and gives a shared spelling to the first member', () => {
    const e = defineCodedEnum('Shared', [
      { name: 'one', api: 'Same Word', code: '1', label: 'One' },
      { name: 'two', api: 'two', code: 'same-word', label: 'Two' },
    ]);
    assert.equal(nameFromText(e, ''), undefined);
    assert.equal(nameFromText(e, ' - '), undefined);
    assert.equal(nameFromText(e, 'three'), undefined);
    assert.equal(nameFromText(e, 'SAME_WORD'), 'one');
    assert.equal(nameFromText(e, 'Two'), 'two');
  });
});
