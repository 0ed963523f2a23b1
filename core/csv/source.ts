/** Where an import file comes from: a path (the CLI) or its content (tests, uploads). */
import { readBounded } from './bounded-read.js';
import { decodeUtf8Escaping } from './decode.js';

export type CsvSource = string | { content: string | Buffer };

export interface SourceText {
  text: string;
  /** The file's record count when `text` holds only its first records over the limit (bounded-read.ts). */
  totalRecords?: number;
}

/**
 * Bytes are decoded keeping invalid UTF-8 visible (decode.ts), so the row that has them can be refused.
 * A file is read only up to its first record past `maxRecords`: more could not be processed anyway.
 */
export async function readSource(source: CsvSource, maxRecords: number): Promise<SourceText> {
  if (typeof source !== 'string') return { text: typeof source.content === 'string' ? source.content : decodeUtf8Escaping(source.content) };
  const { bytes, totalRecords } = await readBounded(source, maxRecords);
  return { text: decodeUtf8Escaping(bytes), ...(totalRecords !== undefined ? { totalRecords } : {}) };
}
