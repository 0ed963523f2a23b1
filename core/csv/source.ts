/** Where an import file comes from: a path (the CLI) or its content (tests, uploads). */
import { readFile } from 'node:fs/promises';

export type CsvSource = string | { content: string | Buffer };

export async function readSource(source: CsvSource): Promise<string> {
  if (typeof source === 'string') return readFile(source, 'utf8');
  return typeof source.content === 'string' ? source.content : source.content.toString('utf8');
}
