/**
 * What `cosell run` says about a turn's problem (core/cli/turn-problems.ts): a problem in full once, the
 * same one in a short line while it lasts, a different one in full again, and the end of it once.
 */
import assert from 'node:assert/strict';
import { clearedLine, sameProblemLine, turnProblem } from '../../core/cli/turn-problems.js';

const failed = (message: string, startedAt: string, runId: number) => ({ failed: true, message, startedAt, runId });
const ok = (startedAt: string) => ({ failed: false, startedAt });

describe('turnProblem: a lasting problem is told once', () => {
  it('tells a problem in full, the same one shortly, another in full, and says when it is gone', () => {
    const first = turnProblem(undefined, failed('Partner Center changes failed: connection refused (ECONNREFUSED)', 't1', 7));
    assert.equal(first.say, 'new');
    const shown = first.say === 'new' ? first.shown : undefined;
    assert.deepEqual(shown, { message: 'Partner Center changes failed: connection refused (ECONNREFUSED)', since: 't1', runId: 7 });

    const again = turnProblem(shown, failed('Partner Center changes failed: connection refused (ECONNREFUSED)', 't2', 8));
    assert.deepEqual(again, { say: 'same', shown });
    assert.match(sameProblemLine('t2', shown!), /^FAILED t2: the same problem as reported above \(run 7, t1\)/);

    const other = turnProblem(shown, failed('The Partner Center sign-in is no longer valid. Run `cosell login partner-center`', 't3', 9));
    assert.equal(other.say, 'new', 'a different problem is told in full');

    const gone = turnProblem(other.say === 'new' ? other.shown : undefined, ok('t4'));
    assert.equal(gone.say, 'cleared');
    assert.match(clearedLine(gone.say === 'cleared' ? gone.gone : shown!), /^Resolved: the problem reported at run 9, t3 is gone/);
    assert.deepEqual(turnProblem(undefined, ok('t5')), { say: 'none' });
  });
});
