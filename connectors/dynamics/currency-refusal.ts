/**
 * A currency the Dynamics 365 environment does not have. An opportunity's value is in its
 * `transactioncurrencyid`; written without it, the value stays in the record's currency (the base currency
 * on a create), the record reads back in that currency, and the seller's next edit sent that currency to
 * Partner Center: 6,000,000 JPY became 6,000,000 USD. Such a write is refused, naming the currency, until
 * an admin adds it. Pure.
 */
import type { CrmWrite, CrmWriteResult } from '../../core/engine/crm-port.js';
import { touches } from './convert.js';

/** Whether this write sets the opportunity's currency (a new record, or a change of currency). */
export function setsCurrency(write: CrmWrite): write is Extract<CrmWrite, { kind: 'create' | 'update' }> {
  return write.kind === 'create' || (write.kind === 'update' && touches('currency', write.changedFields));
}

export function currencyRefusal(write: CrmWrite, currencyIds: ReadonlyMap<string, string>): CrmWriteResult | undefined {
  if (!setsCurrency(write)) return undefined;
  const currency = write.referral.currency;
  if (!currency || currencyIds.has(currency.toUpperCase())) return undefined;
  return {
    key: write.key,
    ok: false,
    code: 'validation',
    field: 'currency',
    rule: 'currency.not_in_crm',
    message: `Partner Center's currency ${currency} is not a currency of this Dynamics 365 environment, so the deal's value cannot be written in it: an admin adds ${currency} (Settings > Business Management > Currencies), and the deal is written at its next retry.`,
  };
}
