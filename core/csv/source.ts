/** Where an import file comes from: a path (the CLI) or its content (tests, uploads). */
import { readBounded } from './bounded-read.js';
import { decodeUtf8Escaping } from './decode.js';

export type CsvSource = string | { content: string | Buffer };

export interface SourceText {
  text: string;
  /** The file's record count when `text` holds only its first records over the limit (bounded-read.ts). */
  totalRecords?: number;
  /** More than `maxBytes` would have to be read: `text` is empty and the file is refused whole. */
  tooLarge?: true;
}

/**
 * Bytes are decoded keeping invalid UTF-8 visible (decode.ts), so the row that has them can be refused.
 * A file is read only up to its first record past `maxRecords`: more could not be processed anyway; and
 * never more than `maxBytes` of it, which parsing could not hold in memory.
 */
export async function readSource(source: CsvSource, maxRecords: number, maxBytes: number): Promise<SourceText> {
  if (typeof source !== 'string') {
    const { content } = source;
    if ((typeof content === 'string' ? Buffer.byteLength(content) : content.length) > maxBytes) return { text: '', tooLarge: true };
    return { text: typeof content === 'string' ? content : decodeUtf8Escaping(content) };
  }
  const { bytes, totalRecords, tooLarge } = await readBounded(source, maxRecords, maxBytes);
  if (tooLarge) return { text: '', tooLarge };
  return { text: decodeUtf8Escaping(bytes), ...(totalRecords !== undefined ? { totalRecords } : {}) };
}
