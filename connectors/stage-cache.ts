/**
 * The CRM's opportunity stages, listed once and kept: both adapters read a record's stage meaning
 * (closed, won, probability, the mapped sales stage) and a stage write's target from this list.
 *
 * Why an hour: stages change only when an admin edits the sales process, while `cosell run` keeps its
 * adapter across turns every 5 minutes by default; a 5-minute life made nearly every turn list the stages
 * again (one CRM call per cycle beyond the issue 13 minimum). A stage the list does not know (a seller
 * picked a stage an admin just added) lists them again at once instead, at most once per run (a run
 * starts when the engine opens its change listing), so an unknown stage cannot cost a listing per record.
 * A stage a listing looked for and did not find (a Dynamics `stageid` of another entity's process, a stage
 * an admin deleted) is remembered for the list's life: it cost one listing per run that met it, forever.
 * A stage added in the CRM after it was looked for is seen once that life is over (an hour), or at a restart.
 * An admin's edit of a known stage (its closed/won meaning, its probability) is seen within the hour, or
 * at once after a restart or a config edit (the runtime is opened again).
 */
export const STAGE_LIST_LIFE_MS = 60 * 60_000;

export class StageCache<T> {
  private held: { at: number; value: T } | undefined;
  private listing: Promise<T> | undefined;
  /** Whether this run has listed the stages already (then an unknown stage does not list them again). */
  private listedThisRun = false;
  /** Stage → when a listing looked for it and did not find it: not looked for again within the list's life. */
  private readonly notFound = new Map<string, number>();

  constructor(
    private readonly list: () => Promise<T>,
    /** Whether the listed stages know a stage name or ID read from a record or named by a write. */
    private readonly knows: (value: T, stage: string) => boolean,
    private readonly now: () => number,
    private readonly lifeMs = STAGE_LIST_LIFE_MS,
  ) {}

  /** A new run (the engine opened its change listing): an unknown stage may list the stages once again. */
  beginRun(): void {
    this.listedThisRun = false;
  }

  /** The stages, listed again when older than their life. */
  async get(): Promise<T> {
    if (this.isKept()) return this.held!.value;
    return this.relist();
  }

  /** Whether a kept list is within its life (`get` would list nothing). */
  isKept(): boolean {
    return this.held !== undefined && this.now() - this.held.at < this.lifeMs;
  }

  /**
   * Keeps a listing the caller made riding in another request (the Dynamics run's first `$batch`), as this
   * run's: it saves the call of a listing of its own (issue 13).
   */
  keep(value: T): void {
    this.held = { at: this.now(), value };
    this.listedThisRun = true;
  }

  /** The stages as the CRM has them now (`cosell check`, `setup`, the readiness probe). */
  fresh(): Promise<T> {
    return this.relist();
  }

  /**
   * The stages, listed again (once per run) when they do not know one of `stages` that no listing looked for
   * within the list's life; the stages a listing made for this call does not know are remembered as not found.
   */
  async covering(stages: Iterable<string>): Promise<T> {
    const before = this.held;
    let value = await this.get();
    const at = this.now();
    const unknown = [...stages].filter((stage) => !this.knows(value, stage) && !(at - (this.notFound.get(stage) ?? -Infinity) < this.lifeMs));
    if (unknown.length === 0) return value;
    // Listed for this call (the list's life was over), or listed again now: either looked for these stages.
    if (this.held === before) {
      if (this.listedThisRun) return value;
      value = await this.relist();
    }
    for (const stage of unknown) if (!this.knows(value, stage)) this.notFound.set(stage, at);
    return value;
  }

  private relist(): Promise<T> {
    this.listedThisRun = true;
    // Concurrent callers share one listing.
    return (this.listing ??= this.list()
      .then((value) => {
        this.held = { at: this.now(), value };
        return value;
      })
      .finally(() => {
        this.listing = undefined;
      }));
  }
}
