/**
 * Whether a state-changing request came from another site, judged by its `Origin` header. Our own pages
 * are at the address the request's `Host` names, or, behind a reverse proxy that sends its own Host (nginx
 * by default sends the upstream's, `Host: $proxy_host`), at the dashboard's public origin: that of the
 * sign-in redirect URI, which every install with actions configures. A header that is not an origin at all
 * did not come from our page either (it used to reach `new URL` and answer 500). Absent and `null`
 * (privacy-sensitive contexts) are left to the CSRF token. Pure.
 */
export function isForeignOrigin(origin: string | undefined, host: string | undefined, publicOrigin?: string): boolean {
  if (!origin || origin === 'null') return false;
  if (!URL.canParse(origin)) return true;
  const parsed = new URL(origin);
  if (parsed.host === '') return true;
  return parsed.host !== host && parsed.origin !== publicOrigin;
}

/** The origin of the dashboard's public address, from its sign-in redirect URI. Pure. */
export function publicOriginOf(redirectUri: string | undefined): string | undefined {
  return redirectUri && URL.canParse(redirectUri) ? new URL(redirectUri).origin : undefined;
}
