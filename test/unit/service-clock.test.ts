/**
 * The engine keeps to Partner Center's clock (core/service-clock.ts): the rules one by one.
 */
import assert from 'node:assert/strict';
import { CLOCK_TOLERANCE_MS, nextClockOffset, ServiceClock } from '../../core/service-clock.js';

const T = Date.parse('2026-12-05T12:00:00Z');
const DAY = 86_400_000;

describe('the engine keeps to Partner Center\'s clock', () => {
  it('a machine whose clock agrees within the tolerance keeps its own clock (no jitter from whole-second Date headers)', () => {
    assert.equal(nextClockOffset(0, T - 999, T, T + 40), 0, 'Date truncated to the second');
    assert.equal(nextClockOffset(0, T + CLOCK_TOLERANCE_MS - 1_000, T, T + 20), 0);
    assert.equal(nextClockOffset(0, T - CLOCK_TOLERANCE_MS, T, T + 20), 0);
  });

  it('a slow answer is not read as a clock difference: the Date lies between our send and our receipt', () => {
    assert.equal(nextClockOffset(0, T + 5_000, T, T + 10 * 60_000), 0);
  });

  it('beyond the tolerance the offset seen is kept, and later answers that agree with it keep it', () => {
    const ahead = nextClockOffset(0, T + 12.5 * DAY, T, T + 50);
    assert.equal(ahead, 12.5 * DAY - 50);
    assert.equal(nextClockOffset(ahead, T + 12.5 * DAY + 1_000, T, T + 30), ahead, 'no jitter around the kept offset');
    assert.equal(nextClockOffset(0, T - 3 * 3_600_000, T, T), -3 * 3_600_000, 'a machine three hours fast');
  });

  it('a clock moved back (the sandbox clock reset, the machine fixed) returns to the local clock', () => {
    assert.equal(nextClockOffset(12.5 * DAY, T + 200, T, T + 300), 0);
  });

  it('the clock tells each shift once and answers in the service\'s time', () => {
    let local = T;
    const shifts: [number, number][] = [];
    const clock = new ServiceClock({ localNow: () => local, onShift: (offset, previous) => shifts.push([offset, previous]) });
    assert.equal(clock.now().getTime(), T);
    clock.observe(T + DAY, T, T);
    clock.observe(T + DAY + 500, T, T);
    assert.deepEqual(shifts, [[DAY, 0]]);
    local += 60_000;
    assert.equal(clock.now().getTime(), T + DAY + 60_000);
    assert.equal(new ServiceClock({ initialOffsetMs: DAY, localNow: () => T }).now().getTime(), T + DAY, 'an offset kept by an earlier process');
  });
});
