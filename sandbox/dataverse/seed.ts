/**
 * Seed data for the sandbox environment: currencies, the Opportunity Sales Process stages, system
 * users (including the connector's application user), and, for the default seed, accounts with
 * D-U-N-S numbers (in the org's own `new_dunsnumber` column, and in the connector's once setup made
 * it), contacts and opportunities across stages. `generateBulk` makes thousands of
 * opportunities with related rows for tests and the benchmark.
 */
import { SANDBOX_APPS } from '../entra/seed.js';
import type { DataverseStore, Row } from './store.js';

export const OPPORTUNITY_SALES_PROCESS_ID = '3e8ebee6-a2bc-4451-9c5f-b146b085413a';
export const APPLICATION_USER_ID = 'a99c05e1-0000-4000-8000-00000000d7a7';
export const SELLER_USER_ID = '5e11e700-0000-4000-8000-0000000005e1';
export const CURRENCY_IDS = { USD: 'c0000000-0000-4000-8000-000000000840', EUR: 'c0000000-0000-4000-8000-000000000978', GBP: 'c0000000-0000-4000-8000-000000000826', JPY: 'c0000000-0000-4000-8000-000000000392' } as const;

/** Stage categories of the opportunity business process flow (processstage.stagecategory). */
export const SALES_PROCESS_STAGES = [
  { id: '6b9ce798-221a-4260-90b2-2a95ed51a5bc', name: 'Qualify', category: 0 },
  { id: '650e06b4-789b-46c1-822b-0da76bedb1ed', name: 'Develop', category: 1 },
  { id: 'd3ca8878-8d7b-47b9-852d-fcd838790cfd', name: 'Propose', category: 2 },
  { id: 'bb7e830a-61bd-441b-b1fd-6bb104ffa027', name: 'Close', category: 3 },
] as const;

/** A solution assessment business process flow on the opportunity (mappings/assessment-stages.ts). */
export const ASSESSMENT_PROCESS_ID = '5a55e550-0000-4000-8000-00000000a55e';
export const ASSESSMENT_PROCESS_STAGES = [
  { id: '5a55e550-0001-4000-8000-00000000a55e', name: 'Assessment Scoped', category: 0 },
  { id: '5a55e550-0002-4000-8000-00000000a55e', name: 'Assessment In Progress', category: 1 },
  { id: '5a55e550-0003-4000-8000-00000000a55e', name: 'Assessment Findings Delivered', category: 2 },
  { id: '5a55e550-0004-4000-8000-00000000a55e', name: 'Assessment Next Steps Agreed', category: 3 },
] as const;

export type SeedKind = 'default' | 'empty';

/** Rows every environment has: currencies, process stages and users. */
export function seedBase(store: DataverseStore): void {
  store.insert('businessunit', { name: 'Contoso Partner' }, store.businessUnitId);
  store.insert('transactioncurrency', { currencyname: 'US Dollar', isocurrencycode: 'USD', currencysymbol: '$', exchangerate: 1 }, CURRENCY_IDS.USD);
  store.insert('transactioncurrency', { currencyname: 'Euro', isocurrencycode: 'EUR', currencysymbol: '€', exchangerate: 0.92 }, CURRENCY_IDS.EUR);
  store.insert('transactioncurrency', { currencyname: 'Pound Sterling', isocurrencycode: 'GBP', currencysymbol: '£', exchangerate: 0.79 }, CURRENCY_IDS.GBP);
  // Partner Center's seed has a Tokyo deal in yen: an environment of a partner selling there has the currency.
  store.insert('transactioncurrency', { currencyname: 'Japanese Yen', isocurrencycode: 'JPY', currencysymbol: '¥', exchangerate: 150 }, CURRENCY_IDS.JPY);
  const processes = [[OPPORTUNITY_SALES_PROCESS_ID, SALES_PROCESS_STAGES], [ASSESSMENT_PROCESS_ID, ASSESSMENT_PROCESS_STAGES]] as const;
  for (const [processId, stages] of processes) {
    for (const stage of stages) {
      store.insert('processstage', { stagename: stage.name, stagecategory: stage.category, _processid_value: processId, primaryentitytypecode: 'opportunity' }, stage.id);
    }
  }
  store.insert('systemuser', { firstname: '#', lastname: 'cosell-connector', applicationid: SANDBOX_APPS.dataverse.clientId, isdisabled: false }, APPLICATION_USER_ID);
  store.insert('systemuser', { firstname: 'Sam', lastname: 'Seller', internalemailaddress: 'sam@contoso-partner.example', address1_telephone1: '+1 425 555 0101', isdisabled: false }, SELLER_USER_ID);
  store.insert('systemuser', { firstname: 'Dana', lastname: 'Developer', internalemailaddress: 'dana@contoso-partner.example', address1_telephone1: '+1 425 555 0102', isdisabled: false });
}

const CUSTOMERS = [
  { name: 'Fourth Coffee', city: 'Seattle', state: 'WA', postal: '98101', country: 'US', duns: '804735132' },
  { name: 'Litware, Inc.', city: 'Dallas', state: 'TX', postal: '75201', country: 'US', duns: '069032677' },
  { name: 'Adventure Works Cycles', city: 'Toronto', state: 'ON', postal: 'M5H 2N2', country: 'CA', duns: '201359114' },
  { name: 'Fabrikam Residences', city: 'Munich', state: 'BY', postal: '80331', country: 'DE', duns: '315369934' },
  { name: 'Alpine Ski House', city: 'London', state: '', postal: 'EC1A 1BB', country: 'GB', duns: '218463941' },
];

function optionalColumns(store: DataverseStore, table: string, values: Row): Row {
  const def = store.table(table)?.def;
  return Object.fromEntries(Object.entries(values).filter(([k]) => def?.columns.has(k)));
}

export interface BulkOptions {
  opportunities: number;
  /** Publisher prefix of the connector's columns; they are filled only if setup already created them. */
  prefix?: string;
  teamPerDeal?: number;
  solutionsPerDeal?: number;
  /** Ticks "Sync with Partner Center" on every generated deal. */
  optedIn?: boolean;
}

/** Creates opportunities with accounts, contacts and (when the tables exist) team members and solutions. */
export function generateBulk(store: DataverseStore, options: BulkOptions): string[] {
  const p = options.prefix ?? 'cosell_';
  const accounts: string[] = [];
  const accountCount = Math.max(1, Math.ceil(options.opportunities / 5));
  for (let i = 0; i < accountCount; i += 1) {
    const base = CUSTOMERS[i % CUSTOMERS.length]!;
    const row = store.insert('account', {
      name: `${base.name} ${i + 1}`, address1_line1: `${100 + i} Main Street`, address1_city: base.city, address1_stateorprovince: base.state,
      address1_postalcode: base.postal, address1_country: base.country,
      new_dunsnumber: i < CUSTOMERS.length ? base.duns : String(100000000 + i),
      ...optionalColumns(store, 'account', { [`${p}dunsnumber`]: i < CUSTOMERS.length ? base.duns : String(100000000 + i) }),
    });
    accounts.push(String(row.accountid));
  }
  const ids: string[] = [];
  const team = store.table(`${p}teammember`);
  const solutions = store.table(`${p}solution`);
  for (let i = 0; i < options.opportunities; i += 1) {
    const accountId = accounts[i % accounts.length]!;
    const contact = store.insert('contact', {
      firstname: 'Casey', lastname: `Customer${i}`, emailaddress1: `casey.customer${i}@example.com`, telephone1: '+1 425 555 0199',
      _parentcustomerid_value: accountId, '_parentcustomerid_value@target': 'account',
    });
    const stage = SALES_PROCESS_STAGES[i % SALES_PROCESS_STAGES.length]!;
    const opp = store.insert('opportunity', {
      name: `Bulk deal ${i + 1}`, estimatedvalue: 10_000 + i, estimatedclosedate: '2027-06-30', closeprobability: 20 + 20 * stage.category,
      salesstage: stage.category, stepname: `${stage.category + 1}-${stage.name}`, stageid: stage.id, processid: OPPORTUNITY_SALES_PROCESS_ID,
      _parentaccountid_value: accountId, '_parentaccountid_value@target': 'account', _customerid_value: accountId, '_customerid_value@target': 'account',
      _parentcontactid_value: contact.contactid, '_parentcontactid_value@target': 'contact',
      _transactioncurrencyid_value: CURRENCY_IDS.USD, '_transactioncurrencyid_value@target': 'transactioncurrency',
      _ownerid_value: SELLER_USER_ID,
      ...optionalColumns(store, 'opportunity', { [`${p}syncwithpartnercenter`]: options.optedIn ?? true, [`${p}consent`]: true, [`${p}direction`]: 'outbound' }),
    });
    const oppId = String(opp.opportunityid);
    ids.push(oppId);
    for (let t = 0; team && t < (options.teamPerDeal ?? 1); t += 1) {
      store.insert(team.def.logicalName, {
        [`${p}name`]: `Seller ${t + 1}`, [`${p}firstname`]: 'Sam', [`${p}lastname`]: `Seller${t + 1}`, [`${p}email`]: `seller${t + 1}@contoso-partner.example`,
        [`${p}phone`]: '+1 425 555 0101', [`_${p}opportunityid_value`]: oppId,
      });
    }
    for (let s = 0; solutions && s < (options.solutionsPerDeal ?? 1); s += 1) {
      store.insert(solutions.def.logicalName, {
        [`${p}name`]: 'Contoso Analytics', [`${p}pcsolutionid`]: 'SOL-1234-PQRS', [`${p}kind`]: 'own', [`${p}currency`]: 'USD', [`${p}price`]: 1000,
        [`${p}quantity`]: 1, [`_${p}opportunityid_value`]: oppId,
      });
    }
  }
  return ids;
}

/** The default seed: a handful of deals across stages, two of them closed. */
export function seedDefault(store: DataverseStore): void {
  const ids = generateBulk(store, { opportunities: 12 });
  const first = ids[0]!;
  store.update('opportunity', first, { statecode: 1, statuscode: 3, actualclosedate: '2026-10-01', actualvalue: 10_000 });
  store.update('opportunity', ids[1]!, { statecode: 2, statuscode: 5, actualclosedate: '2026-10-02', actualvalue: 0 });
}

export function applySeed(store: DataverseStore, kind: SeedKind): void {
  seedBase(store);
  if (kind === 'default') seedDefault(store);
}
