/**
 * The in-memory store's conflicts (memory-store.ts hands calls on): at most one open conflict per link,
 * IDs increasing, kept as JSON text and journaled so that a rolled-back transaction leaves none behind.
 */
import { parse, parseAll, type UndoJournal } from './memory-journal.js';
import { conflictAlreadyOpenError, conflictNotOpenError, conflictWithoutLinkError } from './sqlite-errors.js';
import type { Conflict, ConflictResolution, ConflictSides } from './state-store.js';

export class MemoryConflicts {
  private readonly conflicts = new Map<number, string>();
  private lastId = 0;

  constructor(private readonly journal: UndoJournal, private readonly links: ReadonlyMap<string, string>) {}

  add(conflict: Omit<Conflict, 'id'>): Conflict {
    if (!this.links.has(conflict.crmId)) throw conflictWithoutLinkError(conflict.crmId);
    if (conflict.resolvedAt === undefined && this.openFor(conflict.crmId)) throw conflictAlreadyOpenError(conflict.crmId);
    const previousId = this.lastId;
    this.lastId += 1;
    this.journal.record(() => (this.lastId = previousId));
    const stored: Conflict = { ...conflict, id: this.lastId };
    this.journal.set(this.conflicts, stored.id, JSON.stringify(stored));
    return this.get(stored.id) as Conflict;
  }

  refresh(id: number, sides: ConflictSides): void {
    const open = this.get(id);
    if (!open || open.resolvedAt !== undefined) return;
    this.journal.set(this.conflicts, id, JSON.stringify({ ...open, crm: sides.crm, partnerCenter: sides.partnerCenter }));
  }

  closeAgreed(id: number, resolution: ConflictResolution, at: string): void {
    const open = this.get(id);
    if (!open || open.resolvedAt !== undefined) return;
    this.journal.set(this.conflicts, id, JSON.stringify({ ...open, resolution, resolvedAt: at }));
  }

  get(id: number): Conflict | undefined {
    return parse<Conflict>(this.conflicts.get(id));
  }

  list(options: { includeResolved?: boolean } = {}): Conflict[] {
    return parseAll<Conflict>(this.conflicts.values())
      .filter((conflict) => options.includeResolved || conflict.resolvedAt === undefined)
      .sort((a, b) => a.id - b.id);
  }

  openFor(crmId: string): Conflict | undefined {
    return this.list().find((conflict) => conflict.crmId === crmId);
  }

  /** A link's conflicts, open and settled, removed with it (as SQLite and PostgreSQL delete them). */
  removeFor(crmId: string): void {
    for (const conflict of this.list({ includeResolved: true })) if (conflict.crmId === crmId) this.journal.remove(this.conflicts, conflict.id);
  }

  resolve(id: number, resolution: ConflictResolution, at: string): void {
    const conflict = this.get(id);
    if (!conflict || conflict.resolvedAt !== undefined) throw conflictNotOpenError(id, conflict);
    this.journal.set(this.conflicts, id, JSON.stringify({ ...conflict, resolution, resolvedAt: at }));
  }
}
