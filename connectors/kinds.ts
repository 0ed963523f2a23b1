/**
 * The CRM kinds, by their key under `crm` in the config file. Its own module so that `cosell --help` can
 * name them without loading the connectors (registry.ts has one connector per kind; a test holds the two
 * to the same list).
 */
export const CRM_KINDS = ['salesforce', 'dynamics'] as const;

/** One CRM kind. */
export type CrmKind = (typeof CRM_KINDS)[number];

export const isCrmKind = (value: string): value is CrmKind => (CRM_KINDS as readonly string[]).includes(value);
