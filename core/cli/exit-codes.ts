/** Named exit codes, so that schedulers and scripts can tell outcomes apart (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The run failed; see the message. The next run resumes from the last committed page. */
  failed: 1,
  /** The config file or the command line is wrong; the message names the path or the option. */
  config: 2,
  /** Partner Center or the CRM refused our credentials; the message says what to run. */
  auth: 3,
  /** The run stopped early (API budget, or a stop signal to `sync --once`) and continues next time. */
  partial: 4,
  /** `cosell check` found the environment not ready, or a sync found the CRM without the fields `cosell setup` creates. */
  notReady: 5,
  /** Another sync holds the lock (`cosell status` names it). */
  locked: 6,
  /** The run finished, but records are parked, by this run or an earlier one (`cosell status` lists them). */
  parked: 7,
  /** The state database cannot be used (missing, damaged, read-only, too new); the message says how to fix it. */
  stateStore: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
