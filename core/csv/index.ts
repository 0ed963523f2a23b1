/**
 * Bulk CSV import and export of co-sell referrals, in the format of Partner Center's own bulk operations
 * (shared/reference/seeds/bulk-operations-csv.md). The CLI wires these to `cosell export …` and
 * `cosell import FILE [--to-crm]`.
 */
export { exportReferrals, MAX_EXPORT_RECORDS, type ExportDeps, type ExportOptions, type ExportResult } from './export.js';
export { importReferrals, importParsed, MAX_IMPORT_RECORDS, type ImportDeps, type ImportOptions, type ImportProgress, type ImportResult, type ImportSummary } from './import.js';
export { importToCrm, type ToCrmDeps, type ToCrmOptions, type ToCrmResult } from './to-crm.js';
export { matchesFilter, type ReferralFilter, type ReferralGateway } from './ports.js';
export { partnerCenterGateway, type ReferralClient } from './partner-center-gateway.js';
export { parseCsv, type ParsedFile, type ParsedRow } from './parse.js';
export { writeResults, resultsRows, type RowOutcome } from './results.js';
export { describeRowError, errorsCell, type RowError } from './errors.js';
export { COLUMNS, type ColumnSpec, type Mandatory } from './columns.js';
export { SOLUTION_FAMILY, TEAM_FAMILY } from './families.js';
export { contentKey, CONTENT_KEY_PREFIX } from './idempotency.js';
export { crmCreateIntentsIn, type CrmCreateIntents } from './create-intents.js';
export { importKeysIn, rememberingKeys, type ImportKeys, type MetaRecords } from './import-keys.js';
export type { CsvSource } from './source.js';
