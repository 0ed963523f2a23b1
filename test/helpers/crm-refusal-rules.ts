/** What an org admin sets up that makes the CRM refuse the connector's writes (both CRMs' sandboxes). */
import type { World } from '../../sandbox/world.js';

/**
 * A rule refusing any opportunity whose description contains `word` (a Salesforce validation rule; a
 * Dataverse plug-in step on update). Returns how to lift it.
 */
export function refuseDescriptionsWith(world: World, word: string, message: string): () => void {
  if (world.kind === 'salesforce') {
    const rules = world.set.salesforce.store.validationRules;
    const rule = { object: 'Opportunity', field: 'Description', message, violated: (r: Readonly<Record<string, unknown>>) => String(r.Description ?? '').includes(word) };
    rules.push(rule);
    return () => void rules.splice(rules.indexOf(rule), 1);
  }
  const plugins = world.set.dataverse.store.plugins;
  const step = { table: 'opportunity', messages: ['Update'] as const, refuses: (row: Readonly<Record<string, unknown>>) => (String(row.description ?? '').includes(word) ? message : undefined) };
  plugins.push(step);
  return () => void plugins.splice(plugins.indexOf(step), 1);
}
