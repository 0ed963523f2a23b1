/**
 * `cosell run` picks up an edited config at its next turn. It used to read the file once: an admin who
 * changed the conflict policy or a stage mapping saw nothing change, and nothing said why, until the
 * process was restarted. Now each turn compares the file with the one it runs on; a changed file that
 * loads is used from that turn on (the output names the keys that changed), and one that does not load
 * (half-saved, a typo) is reported once with its error while the turn runs on the settings it had.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The config file's content as last taken, to tell an edit from nothing. */
export class ConfigFileWatch {
  private taken: string | undefined;

  constructor(private readonly file: string) {
    this.taken = this.digest();
  }

  /** The content's digest when it differs from the one last taken; undefined when unchanged. */
  changed(): string | undefined {
    const now = this.digest();
    return now === this.taken ? undefined : now;
  }

  /** This content has been dealt with (used, or reported as unusable): not reported again until it changes. */
  take(digest: string): void {
    this.taken = digest;
  }

  private digest(): string {
    try {
      return createHash('sha256').update(readFileSync(this.file)).digest('hex');
    } catch (error) {
      // A file that cannot be read is a state of its own: loading it says why.
      return `unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }
}

/** The dotted key paths whose values differ between two configs (names only: values may be secret references). Pure. */
export function changedKeys(before: unknown, after: unknown, prefix = ''): string[] {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isRecord(before) || !isRecord(after)) return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix || '(the whole file)'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => changedKeys(before[key], after[key], prefix ? `${prefix}.${key}` : key));
}

/** What taking the config file before a turn found: no edit, an edit that loads, or one that does not. */
export type ConfigEdit<T> = { kind: 'unchanged' } | { kind: 'loaded'; next: T; keys: string[] } | { kind: 'refused'; error: unknown };

/**
 * The edit of a watched config file, if any, opened with `open`; the keys are those that differ from
 * `current`'s config. Either way the content is taken: an edit is used, or reported, once. Shared by
 * `cosell run` (before each turn) and `cosell serve` (before each sync, core/serve/config-follow.ts).
 */
export async function takeConfigEdit<T extends { config: unknown }>(watch: ConfigFileWatch, current: T, open: () => Promise<T>): Promise<ConfigEdit<T>> {
  const digest = watch.changed();
  if (digest === undefined) return { kind: 'unchanged' };
  watch.take(digest);
  try {
    const next = await open();
    return { kind: 'loaded', next, keys: changedKeys(current.config, next.config) };
  } catch (error) {
    return { kind: 'refused', error };
  }
}

/** The line that says an edit was taken (`from`: "this run", "the next sync"). */
export function configEditLine(file: string, keys: string[], from: string): string {
  return keys.length === 0 ? `${file} was saved again; nothing in it changed.` : `${file} changed (${keys.join(', ')}): used from ${from} on.`;
}

/** The line before the error of an edit that does not load (`keeper`: "this run", "the service"; `taker`: "run", "sync"). */
export function configRefusedLine(file: string, keeper: string, taker: string): string {
  return `cosell: ${file} changed but cannot be used; ${keeper} keeps the settings it had. Fix it and the next ${taker} takes it:`;
}
