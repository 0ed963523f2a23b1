/**
 * When a notice may go out: at once, or held by quiet hours (until they end) or by the daily digest
 * (until the next digest time). Pure functions of an instant and the settings, in the configured zone.
 */
export interface ScheduleSettings {
  digest: 'off' | 'daily';
  digestAt: string;
  quietHours?: { from: string; to: string };
  timeZone: string;
}

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) formatters.set(timeZone, (format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  const [h, m] = format.format(at).split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `at` falls in the quiet hours (a span may cross midnight: 22:00–07:00). */
export function inQuietHours(at: Date, settings: ScheduleSettings): boolean {
  if (!settings.quietHours) return false;
  const now = localMinutes(at, settings.timeZone);
  const from = minutesOf(settings.quietHours.from);
  const to = minutesOf(settings.quietHours.to);
  if (from === to) return false;
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** The first whole minute at or after `at` whose local time is `hhmm` (a day at most; DST-safe by walking). */
function nextLocalTime(at: Date, hhmm: string, timeZone: string): Date {
  const target = minutesOf(hhmm);
  let t = Math.ceil(at.getTime() / MINUTE_MS) * MINUTE_MS;
  for (let i = 0; i <= 25 * 60; i += 1, t += MINUTE_MS) {
    if (localMinutes(new Date(t), timeZone) === target) return new Date(t);
  }
  return new Date(t);
}

/**
 * When a notice decided at `now` is sent. Admin alerts ignore the digest (a stopped connector should not
 * wait a day) but respect quiet hours like everything else.
 */
export function sendAfter(now: Date, audience: 'seller' | 'admin', settings: ScheduleSettings): Date {
  let at = audience === 'seller' && settings.digest === 'daily' ? nextLocalTime(now, settings.digestAt, settings.timeZone) : now;
  if (settings.quietHours && inQuietHours(at, settings)) at = nextLocalTime(at, settings.quietHours.to, settings.timeZone);
  return at;
}

/** Whether a send may happen at `now` (quiet hours hold even notices that were due before them). */
export const maySendNow = (now: Date, settings: ScheduleSettings) => !inQuietHours(now, settings);
