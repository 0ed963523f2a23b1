/**
 * The SQLite store's conflicts (sqlite-store.ts hands calls on). "A link exists" and "one open conflict per
 * link" are the schema's constraints (a foreign key and a partial unique index); their violations become
 * the store's own errors here.
 */
import Database from 'better-sqlite3';
import { conflictToRow, rowToConflict } from './sqlite-rows.js';
import { conflictAlreadyOpenError, conflictNotOpenError, conflictWithoutLinkError } from './sqlite-errors.js';
import type { Statements } from './sqlite-statements.js';
import type { Conflict, ConflictResolution, ConflictSides } from './state-store.js';

export function isConstraint(error: unknown, code: string): boolean {
  return error instanceof Database.SqliteError && error.code === code;
}

export class SqliteConflicts {
  constructor(private readonly sql: Statements) {}

  add(conflict: Omit<Conflict, 'id'>): Conflict {
    try {
      const { lastInsertRowid } = this.sql.insertConflict.run(conflictToRow(conflict));
      const stored = this.get(Number(lastInsertRowid));
      if (!stored) throw new Error(`Conflict ${String(lastInsertRowid)} vanished right after it was inserted.`);
      return stored;
    } catch (error) {
      if (isConstraint(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) throw conflictWithoutLinkError(conflict.crmId);
      if (isConstraint(error, 'SQLITE_CONSTRAINT_UNIQUE')) throw conflictAlreadyOpenError(conflict.crmId);
      throw error;
    }
  }

  refresh(id: number, sides: ConflictSides): void {
    this.sql.refreshConflict.run(JSON.stringify(sides.crm), JSON.stringify(sides.partnerCenter), id);
  }

  closeAgreed(id: number, resolution: ConflictResolution, at: string): void {
    this.sql.resolveConflict.run(resolution, at, id);
  }

  get(id: number): Conflict | undefined {
    const row = this.sql.conflict.get(id);
    return row && rowToConflict(row);
  }

  list(options: { includeResolved?: boolean } = {}): Conflict[] {
    return (options.includeResolved ? this.sql.listAllConflicts : this.sql.listOpenConflicts).all().map(rowToConflict);
  }

  openFor(crmId: string): Conflict | undefined {
    const row = this.sql.openConflictFor.get(crmId);
    return row && rowToConflict(row);
  }

  resolve(id: number, resolution: ConflictResolution, at: string): void {
    if (this.sql.resolveConflict.run(resolution, at, id).changes === 0) throw conflictNotOpenError(id, this.get(id));
  }
}
