/**
 * Runs the real `cosell` binary as a child process against a sandbox world, as an admin would from a
 * shell: a config file on disk, the token key in the environment, exit codes and both output streams.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CosellConfig } from '../../config/schema.js';
import { startWorld, type CrmKind, type World, type WorldOptions } from '../../sandbox/world.js';

export const COSELL_BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliChild {
  child: ChildProcess;
  /** Everything written so far. */
  output(): { stdout: string; stderr: string };
  done: Promise<CliResult>;
}

/** Starts `cosell ARGS` and returns at once; `done` settles when it exits. */
export function startCosell(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliChild {
  const child = spawn(process.execPath, [COSELL_BIN, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, output: () => ({ stdout, stderr }), done };
}

export function cosell(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliResult> {
  return startCosell(args, options).done;
}

export async function waitFor(condition: () => boolean | Promise<boolean>, ms: number, what = 'the condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The complete lines of a child's output read so far. The child writes each console.log in its own write,
 * and this process may read between two of them: the text in hand can end after one line of a pair the
 * child writes together, or, for a write the pipe splits, in the middle of a line.
 */
export function completeLines(text: string): string[] {
  return text.split('\n').slice(0, -1);
}

/**
 * The complete line written right after the first complete line matching `pattern`, or undefined until
 * both have been read. Wait for this, not for the first line alone, before asserting what follows it.
 */
export function lineAfter(text: string, pattern: RegExp): string | undefined {
  const lines = completeLines(text);
  const at = lines.findIndex((line) => pattern.test(line));
  return at < 0 ? undefined : lines[at + 1];
}

/**
 * Replaces a file a running child reads (its config), as an editor's save does: written beside it, then
 * renamed over it. writeFileSync empties the file before it writes it, and a child reading it between the
 * two (a turn of `cosell run`, the idle check of `cosell serve`) took an empty file for a broken edit.
 */
export function replaceFile(file: string, content: string): void {
  const next = `${file}.${process.pid}.saving`;
  writeFileSync(next, content);
  renameSync(next, file);
}

export interface CliWorld extends World {
  /** The config file the CLI runs with. */
  configFile: string;
  /** Writes a variant of the config (a key changed) and returns its path. */
  configVariant(name: string, change: (config: CosellConfig) => CosellConfig): string;
  /** `cosell -c <the world's config> ARGS`. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  startCli(args: string[], env?: NodeJS.ProcessEnv): CliChild;
}

/** A sandbox world whose config is also on disk for the CLI. Logging stays at the product's default. */
export async function startCliWorld(kind: CrmKind, options: WorldOptions = {}): Promise<CliWorld> {
  const world = await startWorld(kind, options);
  const dir = join(world.runtime.config.store.path, '..');
  const write = (name: string, config: CosellConfig) => {
    const file = join(dir, `${name}.config.json`);
    // The world's own config logs nothing (silent); a variant that sets a file keeps its logging.
    writeFileSync(file, JSON.stringify({ ...config, logging: config.logging.file ? config.logging : { level: 'warn' } }));
    return file;
  };
  const configFile = write('cli', world.runtime.config);
  return Object.assign(world, {
    configFile,
    configVariant: (name: string, change: (config: CosellConfig) => CosellConfig) => write(name, change(structuredClone(world.runtime.config))),
    cli: (args: string[], env?: NodeJS.ProcessEnv) => cosell(['-c', configFile, ...args], env ? { env } : {}),
    startCli: (args: string[], env?: NodeJS.ProcessEnv) => startCosell(['-c', configFile, ...args], env ? { env } : {}),
  });
}
