/**
 * Shared by the exit-code suites (test/cli/exit-codes-*.test.ts): the README's exit-code table read as
 * (code, command) pairs, a CLI world against the Salesforce sandbox with a scratch folder, and the check
 * every case goes through (the code, what the output says, no stack trace). Each suite covers a group of
 * codes and checks that every pair the README documents for its codes has a case.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosell, startCliWorld, type CliResult, type CliWorld } from './cli.js';

export interface ExitCase {
  code: number;
  command: string;
  situation: string;
  run(): Promise<CliResult>;
  /** What the output must say, beyond the code. */
  says?: RegExp;
}

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** `| 7 | meaning | \`sync\`, \`run\` |` → [7, ['sync', 'run']]; "every command" → all. */
export function documentedPairs(): { code: number; commands: string[] | 'all' }[] {
  return README.split('\n')
    .map((line) => /^\| (\d) \| .* \| (.+) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ code: Number(m[1]), commands: m[2]!.trim() === 'every command' ? 'all' : [...m[2]!.matchAll(/`([^`]+)`/g)].map((c) => c[1]!) }));
}

/** The codes each suite covers: exit-codes-done-usage.test.ts, then exit-codes-refusals.test.ts. */
export const CODE_GROUPS: readonly (readonly number[])[] = [[0, 1, 2], [3, 4, 5, 6, 7, 8]];

/** The pairs the README documents for `codes` that no case in `cases` shows, as `code: command`. */
export function undocumentedCases(cases: readonly ExitCase[], codes: readonly number[]): string[] {
  return documentedPairs().filter((p) => codes.includes(p.code)).flatMap(({ code, commands }) => {
    // "every command": at least eight different commands are shown to end with it.
    if (commands === 'all') return new Set(cases.filter((c) => c.code === code).map((c) => c.command)).size >= 8 ? [] : [`${code}: every command`];
    return commands.filter((cmd) => !cases.some((c) => c.code === code && c.command === cmd)).map((cmd) => `${code}: ${cmd}`);
  });
}

/** What the cases of a suite work with; `world` and `scratch` are set once the suite's `before` ran. */
export interface ExitCodeWorld {
  readonly world: CliWorld;
  readonly scratch: string;
  /** The European Excel CSV fixture, for imports. */
  readonly importFixture: string;
  withConfig(file: string, args: string[]): Promise<CliResult>;
}

/** A CLI world for one suite (call inside `describe`): started before its cases, faults and the test lock cleared after each. */
export function exitCodeWorld(): ExitCodeWorld {
  let world: CliWorld | undefined;
  let scratch: string | undefined;
  before(async () => {
    world = await startCliWorld('salesforce');
    scratch = mkdtempSync(join(tmpdir(), 'cosell-exit-'));
  });
  after(async () => {
    await world?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(() => {
    world!.set.partnerCenter.faults.configure(undefined);
    world!.runtime.store.releaseLock('exit-code-test');
  });
  return {
    get world() {
      return world!;
    },
    get scratch() {
      return scratch!;
    },
    importFixture: fileURLToPath(new URL('../fixtures/csv/european-excel.csv', import.meta.url)),
    withConfig: (file, args) => cosell(['-c', file, ...args]),
  };
}

/** One test per case: the code, what the output must say, and no stack trace on a failure. */
export function itExits(cases: readonly ExitCase[]): void {
  for (const c of cases) {
    it(`${c.command} exits ${c.code}: ${c.situation}`, async () => {
      const result = await c.run();
      const output = `${result.stdout}\n${result.stderr}`;
      assert.equal(result.code, c.code, output.slice(0, 1500));
      if (c.says) assert.match(output, c.says);
      if (c.code !== 0) assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace without --debug');
    });
  }
}
