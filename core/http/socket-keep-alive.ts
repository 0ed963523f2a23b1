/**
 * One TCP keep-alive delay for the sockets axios sends on. axios' http adapter sets every socket a request
 * takes to keep-alive after 60 s (`socket.setKeepAlive(true, 60000)` in its `handleRequestSocket`), and
 * Node's agent sets it back to its own `keepAliveMsecs` (1 s by default) when the socket returns to the
 * pool (`keepSocketAlive` in _http_agent.js). Node skips the system call only when the value is unchanged,
 * so on a reused socket every request changed the socket's options twice, eight `setsockopt` calls (libuv's
 * keep-alive options there and back; strace, 3,500 Partner Center PATCHes: 28,007 against 7). With the global agents at
 * axios' 60 s, both ask for the same and Node makes no call. What changes on the wire: an idle pooled
 * socket (closed by the agent after 5 s) is no longer probed after 1 s, which axios' 60 s already meant
 * for a socket in use.
 */
import http from 'node:http';
import https from 'node:https';

/** The delay axios' http adapter gives every socket a request takes (axios lib/adapters/http.js). */
export const AXIOS_KEEP_ALIVE_MS = 60_000;

/** Gives Node's global agents (which every axios instance here sends through) axios' keep-alive delay. Idempotent. */
export function alignKeepAliveWithAxios(): void {
  for (const agent of [http.globalAgent, https.globalAgent]) {
    // `keepAliveMsecs` is read by the agent each time a socket goes back to its pool; the typings leave it out.
    (agent as unknown as { keepAliveMsecs: number }).keepAliveMsecs = AXIOS_KEEP_ALIVE_MS;
  }
}
