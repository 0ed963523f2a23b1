/** `text` as a regular expression source that matches it literally (every metacharacter escaped). Pure. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
