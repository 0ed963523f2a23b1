/**
 * A progress display for work that may take a while (a sync, an import, an export): shown on standard
 * error only when it is a terminal, and only once the work has gone on for about two seconds, so quick
 * commands and scripts (pipes, cron, CI) see no bar at all.
 */
import cliProgress from 'cli-progress';

/** Wait this long before showing anything: most runs end sooner and need no bar. */
export const PROGRESS_DELAY_MS = 2_000;

export interface ProgressDisplay<P> {
  update(progress: P): void;
  stop(): void;
}

export interface ProgressView<P> {
  /** The bar's format: cli-progress placeholders ({bar}, {value}, {total}) and the payload's keys. */
  format: string;
  /** The bar's value and total, and the payload shown beside it. A total of 0 shows no fraction. */
  render(progress: P): { value: number; total: number; payload: Record<string, string | number> };
}

export function progressDisplay<P>(view: ProgressView<P>, stream: NodeJS.WriteStream = process.stderr, delayMs = PROGRESS_DELAY_MS): ProgressDisplay<P> {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar({ format: view.format, stream, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  const startAt = Date.now() + delayMs;
  let shown = false;
  let latest: P | undefined;
  const show = () => {
    if (latest === undefined) return;
    const { value, total, payload } = view.render(latest);
    if (!shown) {
      bar.start(total, value, payload);
      shown = true;
    } else {
      bar.setTotal(total);
      bar.update(value, payload);
    }
  };
  // Shows the latest state when the delay ends even if no new update arrives then (a slow first page).
  const timer = setTimeout(show, delayMs);
  timer.unref();
  return {
    update(progress) {
      latest = progress;
      if (Date.now() >= startAt) show();
    },
    stop() {
      clearTimeout(timer);
      if (shown) bar.stop();
    },
  };
}
