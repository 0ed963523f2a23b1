/**
 * Coded cells: status words, help and reason numbers, sales stage percentages. The coded enums of the
 * model already refuse unknown values; here the refusal becomes a cell error that lists what is allowed,
 * in the seed's own words.
 */
import { CloseReason, HelpType, ReferralStatus, ReferralSubstatus, type CodedEnum } from '../model/index.js';
import { SALES_STAGE_TABLE } from '../../mappings/sales-stages.js';
import { CellError } from './errors.js';

function codeParser<Name extends string>(enumeration: CodedEnum<Name>, code: string, what: string, numbered: boolean) {
  const allowed = enumeration.values.map((v) => (numbered ? `${v.code} ${v.label}` : v.code)).join(', ');
  return (text: string): Name => {
    try {
      return enumeration.fromCode(text);
    } catch {
      throw new CellError(code, `"${text}" is not ${what} (allowed: ${allowed})`);
    }
  };
}

/** "Accepted values are documented here" (Partner Referral Status / Substatus, bulk CSV seed). */
export const parseStatus = codeParser(ReferralStatus, 'csv.status', 'a referral status', false);
export const parseSubstatus = codeParser(ReferralSubstatus, 'csv.substatus', 'a referral substatus', false);
/** "Enter a number based on the below options": 1 Workload-specific value proposition … 6 General or other. */
export const parseHelpType = codeParser(HelpType, 'csv.help_code', 'one of the help codes 1 to 6', true);
/** "Enter a number based on the below options": 1 Project budget is not adequate … 8 Others. */
export const parseCloseReason = codeParser(CloseReason, 'csv.reason_code', 'one of the Declined/Lost reason codes 1 to 8', true);

const PERCENTS = [...new Set(SALES_STAGE_TABLE.map((s) => s.percent))] as number[];

/**
 * The Sales Stage column takes the stage's percentage (seed sample `40`). The percentage alone does not
 * tell Created from Accepted (both 10); the deal's direction does, once the row is built.
 */
export function parseSalesStagePercent(text: string): number {
  const n = /^\d+%?$/.test(text) ? Number(text.replace('%', '')) : NaN;
  if (!PERCENTS.includes(n)) {
    throw new CellError('csv.sales_stage', `"${text}" is not a sales stage percentage (allowed: ${SALES_STAGE_TABLE.map((s) => `${s.percent} ${s.name}`).join(', ')})`);
  }
  return n;
}
