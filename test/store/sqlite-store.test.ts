/**
 * The SQLite store passes the shared behavioural suite, each test on a fresh database file.
 */
import { openSqliteStore } from '../../core/store/index.js';
import { coordinationBehaviour } from './behaviour-coordination.js';
import { recordBehaviour } from './behaviour-records.js';
import { relatedRowBehaviour } from './behaviour-related-rows.js';
import { leadBehaviour } from './behaviour-leads.js';
import { makeTempDir } from './store-fixtures.js';

describe('SQLite state store', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());
  const open = () => openSqliteStore(temp.file());

  recordBehaviour(open);
  coordinationBehaviour(open);
  relatedRowBehaviour(open);
  leadBehaviour(open);
});
