/**
 * Each CRM's section of the config file `cosell init` writes, by kind: the text lives beside its connector,
 * so the shared template (config/template.ts) names no CRM. Plain strings: loading them loads no connector.
 */
import { DYNAMICS_CONFIG_SECTION } from './dynamics/config-template.js';
import type { CrmKind } from './kinds.js';
import { SALESFORCE_CONFIG_SECTION } from './salesforce/config-template.js';

export const CRM_CONFIG_SECTIONS: Readonly<Record<CrmKind, string>> = {
  salesforce: SALESFORCE_CONFIG_SECTION,
  dynamics: DYNAMICS_CONFIG_SECTION,
};
