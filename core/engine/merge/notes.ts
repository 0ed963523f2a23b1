/**
 * Merging free text changed on both sides without losing either side's words. Sellers append to notes far
 * more often than they rewrite them, so the common case (both appended) keeps the shared start once and
 * both additions after it; anything else keeps both texts whole, labelled by source.
 */
export function mergeNotes(base: string | undefined, crm: string | undefined, pc: string | undefined): string | undefined {
  const b = base ?? '';
  const c = crm ?? '';
  const p = pc ?? '';
  if (c === p) return crm ?? pc;
  if (c === b) return pc;
  if (p === b) return crm;
  if (c.includes(p)) return crm;
  if (p.includes(c)) return pc;
  if (c.startsWith(b) && p.startsWith(b)) {
    const crmAdded = c.slice(b.length).replace(/^\s+/, '');
    const pcAdded = p.slice(b.length).replace(/^\s+/, '');
    const sep = b === '' ? '' : b.endsWith('\n') ? '' : '\n';
    return `${b}${sep}${crmAdded}\n${pcAdded}`;
  }
  return `${c}\n--- from Partner Center ---\n${p}`;
}
