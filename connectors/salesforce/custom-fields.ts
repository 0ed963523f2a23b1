/**
 * The connector's own Salesforce fields and objects (API names, Tooling API metadata) for the connector's
 * modules. The data lives in mappings/custom-fields.salesforce.ts, because the field and lead tables and
 * the list views need it too: the dependency runs connector → mappings, never the other way.
 */
export * from '../../mappings/custom-fields.salesforce.js';
