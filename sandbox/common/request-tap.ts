/**
 * A test harness's view of every request the in-process sandboxes receive, in arrival order: the
 * model-based test kills a child `cosell sync --once` at its k-th request (test/model/scenario.ts), so that
 * a seed replays the same kill at the same point of the sync instead of after a wall-clock delay. A tap
 * may drop the request it is shown (the socket is destroyed unanswered, as when the caller died before
 * sending it); otherwise it is told again once the answer has been sent. No tap: nothing is done.
 */
export interface TappedRequest {
  method: string;
  url: string;
}

export type RequestTap = (request: TappedRequest, moment: 'received' | 'answered') => 'drop' | void;

const taps = new Set<RequestTap>();

/** Starts showing requests to `tap`; returns the function that stops it. */
export function tapRequests(tap: RequestTap): () => void {
  taps.add(tap);
  return () => taps.delete(tap);
}

/** Called by `listen` for each request; true when a tap dropped it. */
export function requestTapped(request: TappedRequest, moment: 'received' | 'answered'): boolean {
  let drop = false;
  for (const tap of taps) if (tap(request, moment) === 'drop') drop = true;
  return drop;
}
