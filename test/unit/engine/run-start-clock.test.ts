/**
 * The first run after the engine's clock moved (it follows Partner Center's when this machine's is off, and
 * learns a new offset from the run's first answer) was stamped by the old clock and finished by the new one;
 * `cosell status`, which reads run ages by the new, called a run that had just ended 12 days old (the admin
 * walk, Partner Center's clock 12.5 days ahead). The run's start is now taken again at its end.
 */
import assert from 'node:assert/strict';
import { runSyncOnce, startAsClockReadsNow } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';

const T = '2026-12-06T18:00:00.000Z';
const plus = (ms: number) => new Date(Date.parse(T) + ms).toISOString();

describe("a run's start when the engine's clock moved while it ran", () => {
  it('is the end less the time the run took, when the clock moved by more than a minute', () => {
    const jump = 12.5 * 24 * 3_600_000;
    assert.equal(startAsClockReadsNow(T, plus(jump + 2_000), 2_000), plus(jump));
    assert.equal(startAsClockReadsNow(T, plus(-3_600_000 + 500), 500), plus(-3_600_000));
  });

  it('stays as stamped when the clock only ran', () => {
    assert.equal(startAsClockReadsNow(T, plus(2_000), 2_000), T);
    assert.equal(startAsClockReadsNow(T, plus(30_000), 2_000), T, 'under a minute of drift is not a move');
  });

  it('is what the run history keeps after a run whose clock jumped', async () => {
    let nowMs = Date.parse(T);
    const now = () => new Date(nowMs);
    const store = openMemoryStore();
    const crm = new FakeCrm(now);
    const pc = new FakePartnerCenter(now);
    // The clock moves 12.5 days ahead with the run's first Partner Center answer.
    const changes = pc.changes.bind(pc);
    pc.changes = (...args: Parameters<typeof changes>) => {
      nowMs = Date.parse(T) + 12.5 * 24 * 3_600_000;
      return changes(...args);
    };
    const report = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    const [run] = store.listRuns(1);
    assert.ok(Date.parse(run!.startedAt) >= Date.parse(T) + 12.5 * 24 * 3_600_000 - 60_000, run!.startedAt);
    assert.equal(report.startedAt, run!.startedAt);
  });
});
