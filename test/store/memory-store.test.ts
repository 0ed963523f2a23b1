/**
 * The in-memory store passes the same behavioural suite as the SQLite store.
 */
import { openMemoryStore } from '../../core/store/index.js';
import { coordinationBehaviour } from './behaviour-coordination.js';
import { recordBehaviour } from './behaviour-records.js';
import { relatedRowBehaviour } from './behaviour-related-rows.js';
import { leadBehaviour } from './behaviour-leads.js';

describe('memory state store', () => {
  recordBehaviour(openMemoryStore);
  coordinationBehaviour(openMemoryStore);
  relatedRowBehaviour(openMemoryStore);
  leadBehaviour(openMemoryStore);
});
