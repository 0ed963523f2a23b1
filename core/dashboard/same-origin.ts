/**
 * Whether a state-changing request came from another site, judged by its `Origin` header. A browser
 * sends the origin of the page that made the request; a header that is not an origin at all did not come
 * from our own page either, so it counts as foreign (it used to reach `new URL` and answer 500).
 * Absent and `null` (privacy-sensitive contexts) are left to the CSRF token. Pure.
 */
export function isForeignOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || origin === 'null') return false;
  if (!URL.canParse(origin)) return true;
  const { host: originHost } = new URL(origin);
  return originHost === '' || originHost !== host;
}
