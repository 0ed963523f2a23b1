/** Named exit codes, so that schedulers and scripts can tell outcomes apart (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The run failed; see the log. The next run resumes from the last committed page. */
  failed: 1,
  /** The config file or the command line is wrong; the message names the path. */
  config: 2,
  /** Partner Center or the CRM refused our credentials; the message says what to run. */
  auth: 3,
  /** The run stopped early (API budget) and will continue next time. */
  partial: 4,
  /** `cosell check` found the environment not ready. */
  notReady: 5,
  /** Another sync holds the lock. */
  locked: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
