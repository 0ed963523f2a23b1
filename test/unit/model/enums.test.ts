/**
 * Every enumeration keeps both the API spelling and the CSV/UI code, with conversions both ways that
 * refuse unknown values.
 */
import assert from 'node:assert/strict';
import {
  CloseReason, DealType, Direction, HelpType, MicrosoftStatus, ReferralStatus, ReferralSubstatus, SolutionKind,
  UnknownEnumValueError, type CodedEnum,
} from '../../../core/model/index.js';

const ENUMS: CodedEnum<string>[] = [ReferralStatus, ReferralSubstatus, Direction, DealType, HelpType, CloseReason, SolutionKind, MicrosoftStatus];

describe('coded enumerations', () => {
  for (const e of ENUMS) {
    it(`${e.enumName}: every value round-trips through its API spelling and its CSV code`, () => {
      for (const name of e.names) {
        assert.equal(e.fromApi(e.toApi(name)), name);
        assert.equal(e.fromCode(e.toCode(name)), name);
      }
    });
    it(`${e.enumName}: refuses an unknown API spelling and an unknown code, naming the enumeration`, () => {
      assert.throws(() => e.fromApi('NoSuchValue'), (err: unknown) => err instanceof UnknownEnumValueError && err.enumName === e.enumName && /NoSuchValue/.test(err.message));
      assert.throws(() => e.fromCode('99'), UnknownEnumValueError);
      assert.throws(() => e.fromApi(undefined), UnknownEnumValueError);
    });
  }

  it('help types are the six documented kinds, CSV codes 1–6, API names from the V3 swagger', () => {
    assert.deepEqual(HelpType.values.map((v) => [v.code, v.api]), [
      ['1', 'WorkloadSpecificValueProposition'],
      ['2', 'CustomerTechnicalArchitecture'],
      ['3', 'ProofOfConceptOrDemo'],
      ['4', 'QuotesOrLicensing'],
      ['5', 'PostSalesCustomerSuccess'],
      ['6', 'GeneralOrOther'],
    ]);
  });

  it('decline/lost reasons are the eight documented ones, CSV codes 1–8', () => {
    assert.deepEqual(CloseReason.values.map((v) => v.code), ['1', '2', '3', '4', '5', '6', '7', '8']);
    assert.equal(CloseReason.label(CloseReason.fromCode(6)), 'Proposed time line was too short');
  });

  it('accepts API spellings in any casing and CSV codes with spreadsheet padding', () => {
    assert.equal(ReferralSubstatus.fromApi('accepted'), 'Accepted');
    assert.equal(HelpType.fromCode(' 3 '), 'proof-of-concept');
    assert.equal(Direction.fromApi('Incoming'), 'inbound');
  });

  it("refuses the API's unset value None and the undocumented Unknown help type", () => {
    assert.throws(() => ReferralStatus.fromApi('None'), UnknownEnumValueError);
    assert.throws(() => HelpType.fromApi('Unknown'), UnknownEnumValueError);
  });
});
