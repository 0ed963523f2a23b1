/**
 * Moves this process's `Date.now` forward, as a daemon's next turn would find it (not `new Date()`, which
 * V8 reads from its own clock); `restore` puts the real clock back. For tests of time-kept caches.
 */
export function laterClock(): { advance(ms: number): void; restore(): void } {
  const real = Date.now;
  let offset = 0;
  return {
    advance(ms) {
      offset += ms;
      Date.now = () => real() + offset;
    },
    restore() {
      Date.now = real;
      offset = 0;
    },
  };
}
