/**
 * What the commands need only once they run, loaded on demand: the runtime (config, connectors, state
 * store), the engine and the progress bar. `cosell --help` and a command's own start load none of it.
 */
import type { Runtime, RuntimeOptions } from '../runtime.js';

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  return (await import('../runtime.js')).openRuntime(options);
}

/** What `sync` and `run` need. */
export async function loadSyncParts() {
  const [{ exitCodeOfRun, lockedRun }, { syncProgressDisplay }] = await Promise.all([import('../locked-run.js'), import('../sync-progress.js')]);
  return { openRuntime, exitCodeOfRun, lockedRun, syncProgressDisplay };
}
