/**
 * The real binary as an admin leaves it running: `cosell run --interval 0.05` (3 s turns) as a child
 * process, killed with SIGKILL, stopped with SIGTERM and started again. Its output is kept for the
 * story: a chaos failure is read from what the runner said as well as from the sandboxes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));

export class Runner {
  private child: ChildProcess | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  readonly exits: string[] = [];
  /** Whether the current runner has begun turning ("Syncing every …"): before that it has no stop handler yet. */
  turning = false;

  constructor(private readonly configFile: string, private readonly logFile: string) {}

  start(): void {
    const child = spawn(process.execPath, [BIN, '-c', this.configFile, 'run', '--interval', '0.05'], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    this.turning = false;
    const log = (chunk: Buffer) => {
      appendFileSync(this.logFile, chunk);
      if (chunk.includes('Syncing every')) this.turning = true;
    };
    child.stdout!.on('data', log);
    child.stderr!.on('data', log);
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.child = child;
  }

  /** Stops the runner with `signal`; returns how it exited (a SIGTERM'd runner must exit 0 by itself). */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    if (!this.child) return 'not running';
    // A runner still starting (modules, config, store) dies of SIGTERM as any process does: it has begun nothing.
    const starting = this.turning ? '' : ' (still starting)';
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 60_000);
    const exit = await this.exited!;
    clearTimeout(timer);
    this.child = undefined;
    const said = `${signal}${starting} -> code ${exit.code} signal ${exit.signal}`;
    this.exits.push(said);
    appendFileSync(this.logFile, `\n== chaos: ${said}\n`);
    return said;
  }

  /** How the runner died by itself, or undefined while it runs (it must keep turning through every outage). */
  async diedAlone(): Promise<string | undefined> {
    if (!this.child) return undefined;
    const early = await Promise.race([this.exited!, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1))]);
    if (!early) return undefined;
    this.child = undefined;
    return `exit ${early.code} signal ${early.signal}${this.turning ? '' : ' (while starting)'}`;
  }
}
