/**
 * How many signals made by `AbortSignal.any` a signal still keeps track of: Node's own set of them
 * (`kDependantSignals`, an internal), which Node 20 never empties (https://github.com/nodejs/node/issues/55351).
 * 0 where Node keeps no such set. Read by tests that a long-lived signal gains nothing per run.
 */
export function signalsFollowing(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  const followers = key === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[key];
  return followers?.size ?? 0;
}
