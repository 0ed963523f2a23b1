/**
 * What `cosell run` says about a turn that failed, so that a problem left for weeks (a revoked sign-in, a
 * service down over a weekend) is told once, in full, with the command to run, and not again at every
 * turn: later turns with the same problem print one short line naming when it was first reported, and the
 * first turn without it says the problem is gone. Pure: the run loop keeps what was shown.
 */
import type { RunReport } from '../engine/sync-engine.js';

/** The problem this process last reported in full. */
export interface ShownProblem {
  message: string;
  /** When the turn that first reported it started (the run's own time). */
  since: string;
  runId?: number;
}

export type TurnProblem =
  | { say: 'new'; shown: ShownProblem }
  | { say: 'same'; shown: ShownProblem }
  | { say: 'cleared'; gone: ShownProblem }
  | { say: 'none' };

/**
 * A failed turn's problem is the one already shown when its message is the same (the message names the
 * service, the error and what to do; a different one is a new problem, told in full). Any other outcome
 * clears what was shown.
 */
export function turnProblem(shown: ShownProblem | undefined, turn: { failed: boolean; message?: string | undefined; startedAt: string; runId?: number | undefined }): TurnProblem {
  if (turn.failed && turn.message !== undefined) {
    if (shown?.message === turn.message) return { say: 'same', shown };
    return { say: 'new', shown: { message: turn.message, since: turn.startedAt, ...(turn.runId === undefined ? {} : { runId: turn.runId }) } };
  }
  return shown ? { say: 'cleared', gone: shown } : { say: 'none' };
}

/** The problem of a finished run, as `turnProblem` takes it. */
export function turnOfReport(report: Pick<RunReport, 'outcome' | 'message' | 'startedAt' | 'runId'>): Parameters<typeof turnProblem>[1] {
  return { failed: report.outcome === 'failed', message: report.message, startedAt: report.startedAt, runId: report.runId };
}

const firstReported = (shown: ShownProblem) => `${shown.runId === undefined ? '' : `run ${shown.runId}, `}${shown.since}`;

/** The short line of a turn that failed with the problem already reported. */
export function sameProblemLine(startedAt: string, shown: ShownProblem): string {
  return `FAILED ${startedAt}: the same problem as reported above (${firstReported(shown)}); the next turn tries again, and syncing resumes by itself once it is fixed.`;
}

/** The line of the first turn after a problem went away. */
export function clearedLine(gone: ShownProblem): string {
  return `Resolved: the problem reported at ${firstReported(gone)} is gone; syncing resumed.`;
}
