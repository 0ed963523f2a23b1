/** The soak's verdict from its per-cycle figures (bench/soak-summary.ts): slopes past the warm-up, first and last tenths. */
import assert from 'node:assert/strict';
import type { SoakProbe } from '../../bench/soak-probe.js';
import { firstAndLast, formatSummary, slope, tenths, trends, type SoakCycle } from '../../bench/soak-summary.js';

const probe = (heapUsedMb: number, handles: Record<string, number> = { PipeWrap: 1 }): SoakProbe => ({
  heapUsedMb, codeSpaceMb: 1, heapTotalMb: 60, externalMb: 3, arrayBuffersMb: 1, rssMb: 130, handles, openFds: 20, storeBytes: 4096, walBytes: 0, tableRows: { runs: 10 },
});

const cycle = (n: number, heapUsedMb: number, handles?: Record<string, number>): SoakCycle => ({
  cycle: n, crmEdits: 1, pcChanges: 1, outcome: 'ok', writes: 2, engineCpuMs: 20, wallMs: 40, pcCalls: 2, crmCalls: 2, probe: probe(heapUsedMb, handles),
});

describe('bench: soak summary', () => {
  it('a least-squares slope: exact on a line, 0 without spread', () => {
    assert.equal(slope([1, 2, 3, 4], [10, 12, 14, 16]), 2);
    assert.equal(slope([5, 5, 5], [1, 2, 3]), 0);
    assert.equal(slope([1], [1]), 0);
  });

  it('the slope per 100 cycles leaves the warm-up tenth out: a heap that jumps at the start and then stays flat does not grow', () => {
    const cycles = Array.from({ length: 100 }, (_, i) => cycle(i + 1, i < 10 ? 20 + i : 40));
    const heap = trends(cycles).find((t) => t.figure === 'heap after GC MB')!;
    assert.equal(heap.slopePer100, 0);
    assert.equal(heap.first, 24.5);
    assert.equal(heap.last, 40);
  });

  it('a heap that grows by 10 KB a cycle shows about 1 MB per 100 cycles', () => {
    const cycles = Array.from({ length: 500 }, (_, i) => cycle(i + 1, 30 + (i + 1) * 0.01));
    const heap = trends(cycles).find((t) => t.figure === 'heap after GC MB')!;
    assert.ok(Math.abs(heap.slopePer100 - 1) < 1e-9, String(heap.slopePer100));
  });

  it('tenths of fewer than ten cycles are one cycle each', () => {
    const { first, last } = tenths([1, 2, 3]);
    assert.deepEqual([first, last], [[1], [3]]);
  });

  it('handles by kind, first cycle against last, a kind seen in any cycle listed', () => {
    const rows = firstAndLast([cycle(1, 30), cycle(2, 30, { PipeWrap: 1, TCPSocketWrap: 2 }), cycle(3, 30, { PipeWrap: 1, Timeout: 1 })], (c) => c.probe.handles);
    assert.deepEqual(rows, [
      { kind: 'PipeWrap', first: 1, last: 1, max: 1 },
      { kind: 'TCPSocketWrap', first: 0, last: 0, max: 2 },
      { kind: 'Timeout', first: 0, last: 1, max: 1 },
    ]);
  });

  it('the summary names every figure and counts the outcomes', () => {
    const text = formatSummary([cycle(1, 30), { ...cycle(2, 30), outcome: 'skipped' }]);
    assert.match(text, /\| heap after GC MB \|/);
    assert.match(text, /\| active handles \|/);
    assert.match(text, /\| runs \| 10 \| 10 \|/);
    assert.match(text, /Outcomes: ok ×1, skipped ×1/);
  });
});
