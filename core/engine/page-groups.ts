/**
 * A feed's pages in groups of up to `size`, read one after another as the feed gives them. A group ends
 * early when `enough()` says so (a stop was asked, a call budget is spent), so reading ahead never reads
 * past what the run may use. Breaking out of the loop over the groups ends the feed too.
 */
export async function* pageGroups<P>(pages: AsyncIterable<P>, size: number, enough: () => boolean): AsyncGenerator<P[]> {
  let group: P[] = [];
  for await (const page of pages) {
    group.push(page);
    if (group.length >= size || enough()) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}
