/**
 * What the soak (soak.ts) reads from the engine host after each turn: what would grow in a daemon that runs
 * for weeks. The heap is read after a forced full collection, so that garbage not yet collected does not hide
 * or fake a trend; handles are counted by kind and file descriptors in all (a socket or timer left behind
 * per turn shows as a rising count); the state store is read through a connection of its own, read-only (its files' sizes, and each
 * table's rows, which say which table a growing file grows by).
 */
import { readdirSync, statSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import Database from 'better-sqlite3';
import { collectHeap } from './rss-sampler.js';

export interface SoakProbe {
  /** V8 heap in use after a full collection: live objects only. */
  heapUsedMb: number;
  /**
   * Of it, V8's machine code (code space and large code objects). Optimised code keeps coming as functions
   * that run rarely (the hourly token refresh) get hot; it levels off, where a leak would not.
   */
  codeSpaceMb: number;
  heapTotalMb: number;
  /** Memory outside the V8 heap held for JavaScript objects, and of it the ArrayBuffers (Buffers). */
  externalMb: number;
  arrayBuffersMb: number;
  rssMb: number;
  /** `process.getActiveResourcesInfo()` counted by kind (TCPSocketWrap, Timeout, FSReqCallback, …). */
  handles: Record<string, number>;
  /**
   * The process's open file descriptors (Linux: /proc/self/fd; -1 elsewhere). The handle count leaves out
   * what does not keep the event loop alive, such as an agent's idle keep-alive sockets (unref'd); a socket
   * or file left open per turn shows here.
   */
  openFds: number;
  storeBytes: number;
  walBytes: number;
  /** Rows per table of the state store. */
  tableRows: Record<string, number>;
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;

const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    // No WAL file at this moment (checkpointed and removed): nothing held.
    return 0;
  }
};

function rowsPerTable(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

const openFds = () => {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return -1;
  }
};

const codeSpaceBytes = () =>
  getHeapSpaceStatistics()
    .filter((space) => space.space_name === 'code_space' || space.space_name === 'code_large_object_space')
    .reduce((n, space) => n + space.space_used_size, 0);

/** Collects the heap twice (a second pass frees what the first one's finalizers let go), then reads the process and the store. */
export function probeEngine(storePath: string): SoakProbe {
  collectHeap();
  collectHeap();
  const memory = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  return {
    heapUsedMb: mb(memory.heapUsed),
    codeSpaceMb: mb(codeSpaceBytes()),
    heapTotalMb: mb(memory.heapTotal),
    externalMb: mb(memory.external),
    arrayBuffersMb: mb(memory.arrayBuffers),
    rssMb: mb(memory.rss),
    handles,
    openFds: openFds(),
    storeBytes: sizeOf(storePath),
    walBytes: sizeOf(`${storePath}-wal`),
    tableRows: rowsPerTable(storePath),
  };
}
