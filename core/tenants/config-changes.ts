/**
 * What `tenants set-config` changed, by key and never by value: a value may be a secret reference, or a
 * URL the operator would rather not see echoed in a terminal log. Pure.
 */
function leaves(value: unknown, path: string[], out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, [...path, key], out);
    return;
  }
  if (value !== undefined) out.set(path.join(' > '), JSON.stringify(value));
}

export function changedConfigKeys(before: unknown, after: unknown): { added: string[]; removed: string[]; changed: string[] } {
  const [old, now] = [new Map<string, string>(), new Map<string, string>()];
  leaves(before, [], old);
  leaves(after, [], now);
  return {
    added: [...now.keys()].filter((k) => !old.has(k)).sort(),
    removed: [...old.keys()].filter((k) => !now.has(k)).sort(),
    changed: [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)).sort(),
  };
}
