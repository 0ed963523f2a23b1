/** Where an import file comes from: a path (the CLI) or its content (tests, uploads). */
import { readFile } from 'node:fs/promises';
import { decodeUtf8Escaping } from './decode.js';

export type CsvSource = string | { content: string | Buffer };

/** Bytes are decoded keeping invalid UTF-8 visible (decode.ts), so the row that has them can be refused. */
export async function readSource(source: CsvSource): Promise<string> {
  if (typeof source === 'string') return decodeUtf8Escaping(await readFile(source));
  return typeof source.content === 'string' ? source.content : decodeUtf8Escaping(source.content);
}
