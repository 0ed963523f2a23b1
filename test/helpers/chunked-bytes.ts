/** Answers cut into chunks as a socket might deliver them, by a seeded generator, for the Dynamics readers' tests. */

/** A small deterministic generator, so a failure names a seed that repeats it. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The text's bytes in chunks of random sizes (1 byte up to `max`), each a buffer of its own. */
export function chunksOf(text: string, next: () => number, max: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(next() * max);
    out.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
  }
  return out;
}
