/**
 * The in-memory store passes the same behavioural suite as the SQLite store.
 */
import { openMemoryStore } from '../../core/store/index.js';
import { coordinationBehaviour } from './behaviour-coordination.js';
import { recordBehaviour } from './behaviour-records.js';

describe('memory state store', () => {
  recordBehaviour(openMemoryStore);
  coordinationBehaviour(openMemoryStore);
});
