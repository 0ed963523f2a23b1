/**
 * A record whose keys must name something the connector knows (a field path in `fieldOverrides`): zod's
 * `record` takes any key, and a misspelt one (`note` for `notes`) would otherwise be accepted and do
 * nothing, leaving the default in force unseen. The error names the key and lists the valid ones.
 */
import type { z } from 'zod';

export function onlyKnownKeys(known: readonly string[], what: string) {
  const valid = new Set(known);
  return (record: Readonly<Record<string, unknown>>, ctx: z.RefinementCtx): void => {
    for (const key of Object.keys(record)) {
      if (!valid.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: `is not a ${what} the connector knows; use one of: ${[...valid].join(', ')}` });
    }
  };
}
