/**
 * The `<…>` values `cosell init` writes for the admin to fill in (config/template.ts). A file that still
 * holds one is not ready: left in, `"<directory (tenant) id>"` becomes a token endpoint URL and reads as
 * refused credentials much later, so validation names the key at once.
 */
import { CRM_KINDS } from '../connectors/kinds.js';
import { configTemplate } from './template.js';

/** Every placeholder of both templates, as written there, e.g. `<application (client) id>`. */
const INIT_PLACEHOLDERS: readonly string[] = [
  ...new Set(CRM_KINDS.flatMap((crm) => [...configTemplate(crm).matchAll(/<[^<>\n]+>/g)].map((m) => m[0]))),
];

export interface PlaceholderProblem {
  path: string;
  message: string;
}

/** The keys of a parsed config document whose value still holds one of init's placeholders, with the path as `a > b > c`. */
export function placeholderProblems(document: unknown, path: readonly string[] = []): PlaceholderProblem[] {
  if (typeof document === 'string') {
    const placeholder = INIT_PLACEHOLDERS.find((p) => document.includes(p));
    return placeholder
      ? [{ path: path.join(' > ') || '(top level)', message: `still holds the placeholder "${placeholder}" that cosell init wrote; replace it with the real value` }]
      : [];
  }
  if (document === null || typeof document !== 'object') return [];
  return Object.entries(document).flatMap(([key, value]) => placeholderProblems(value, [...path, key]));
}
