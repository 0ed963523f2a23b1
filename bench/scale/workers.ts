/**
 * W worker processes, each running the real `cosell worker` (from the TypeScript sources, as the bench
 * runs everything) against the throwaway database: separate processes, so that the workers spread over
 * the machine's cores and pay their own start-up, connections and pg-boss polling as real workers do.
 * Their CPU time comes from /proc (Linux), their log (warnings and errors) goes to a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerPool {
  readonly pids: number[];
  /** CPU seconds (user + system) the worker processes have used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

function processCpuSeconds(pid: number): number {
  try {
    // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function startOne(index: number, env: NodeJS.ProcessEnv, concurrency: number, logDir: string): Promise<ChildProcess> {
  const log = openSync(join(logDir, `worker-${index}.log`), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'core/cli/main.ts', 'worker', '--database', 'env:COSELL_DATABASE_URL', '--concurrency', String(concurrency), '--tick-seconds', '5'], {
    env,
    stdio: ['ignore', log, 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let said = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('taking tenant jobs')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${index} exited (${code}) before it was ready: ${said.slice(-2000)}`)));
  });
}

export async function startWorkers(count: number, options: { databaseUrl: string; masterKey: Buffer; concurrency: number; logDir: string }): Promise<WorkerPool> {
  const env = { ...process.env, COSELL_DATABASE_URL: options.databaseUrl, COSELL_MASTER_KEY: options.masterKey.toString('base64'), COSELL_LOG_LEVEL: 'warn' };
  const children = await Promise.all(Array.from({ length: count }, (_, i) => startOne(i + 1, env, options.concurrency, options.logDir)));
  const pids = children.map((c) => c.pid as number);
  let lastCpu = new Map<number, number>();
  return {
    pids,
    cpuSeconds() {
      // A process that has exited keeps the last figure read.
      lastCpu = new Map(pids.map((pid) => [pid, processCpuSeconds(pid) || (lastCpu.get(pid) ?? 0)]));
      return [...lastCpu.values()].reduce((a, b) => a + b, 0);
    },
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}
