/**
 * The CRM's own name for a canonical field path, for messages written onto a CRM record. Sellers work in
 * their CRM: "Amount" and "Billing Country (Account)" mean something to them, `value` and
 * `customer.country` do not. The labels are data (mappings/labels.<crm>.ts) and reach the engine through
 * the adapter (`CrmAdapter.fieldLabels`); this module only reads them. Pure.
 *
 * Keys are canonical paths with indexes left out: `value`, `customer.country`, `team` (the collection),
 * `team[]` (one item of it), `team[].email` (a field of an item).
 */
export type FieldLabels = Readonly<Record<string, string>>;

/** Words kept as they are written when a canonical path is spelt out (proper names and acronyms). */
const KEPT: Readonly<Record<string, string>> = { microsoft: 'Microsoft', crm: 'CRM', id: 'ID', mpn: 'MPN', duns: 'D-U-N-S', iso: 'ISO' };

/** `shareWithMicrosoftSellers` → `Share with Microsoft sellers`; `customer.country` → `Customer country`. */
export function readableName(path: string): string {
  const words = path
    .replace(/\[\d*\]/g, '')
    .split(/[.\s]+|(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => KEPT[w.toLowerCase()] ?? w.toLowerCase());
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The label of a path without indexes, or of its nearest labelled parent with the rest spelt out. */
function labelOfPattern(pattern: string, labels: FieldLabels): string | undefined {
  if (labels[pattern]) return labels[pattern];
  const dot = pattern.lastIndexOf('.');
  if (dot < 0) return undefined;
  const parent = labelOfPattern(pattern.slice(0, dot), labels);
  return parent ? `${parent}: ${readableName(pattern.slice(dot + 1)).toLowerCase()}` : undefined;
}

/**
 * One canonical path as the seller knows it: `solutions[1].price` → `Price (Co-sell Solution 2)`. A path
 * the CRM has no field for (the labels name none of it) is spelt out in words.
 */
export function fieldLabel(path: string, labels: FieldLabels): string {
  const item = /^([^[]+)\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (item) {
    const [, collection, index, member] = item as unknown as [string, string, string, string | undefined];
    const which = `${labels[`${collection}[]`] ?? readableName(collection)} ${Number(index) + 1}`;
    if (!member) return which;
    return `${labels[`${collection}[].${member}`] ?? readableName(member)} (${which})`;
  }
  return labelOfPattern(path, labels) ?? readableName(path);
}

/**
 * A list of paths as written in one reason (`value, closeDate`, from a refused CRM write), each labelled,
 * each label once: two paths can be one CRM field (Salesforce's Stage holds the sales stage and the status).
 */
export function fieldLabels(paths: string | readonly string[], labels: FieldLabels): string {
  // A list the engine holds is taken as it is; a reason's text is split at its commas.
  const list = typeof paths === 'string' ? paths.split(',') : paths;
  const named = list
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => fieldLabel(p, labels));
  return [...new Set(named)].join(', ');
}

/** For admins (`cosell status`, `cosell explain`): the label and the canonical path, when they differ. */
export function labelAndPath(path: string, labels: FieldLabels): string {
  const label = fieldLabels(path, labels);
  return label === path ? path : `${label} (${path})`;
}
