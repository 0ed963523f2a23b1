/**
 * The multi-tenant serve (`cosell serve --database`) ends a request that stops arriving as a single
 * install's does (stalled-requests.test.ts says why): its webhook intake faces the internet too.
 */
import { silentLogger } from '../../core/logger.js';
import { startTenantsServe } from '../../core/serve/tenants-serve.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { assertStalledRequestsEnd } from '../helpers/stalled-requests.js';

describe('cosell serve --database: a request that stops arriving', function () {
  this.timeout(60_000);
  const database = useThrowawayPgDatabase();

  it('is ended within a minute (headers and body), not held open forever', async () => {
    const service = await startTenantsServe({ db: database().db, port: 0, host: '127.0.0.1', logger: silentLogger() });
    try {
      assertStalledRequestsEnd(service.app.server);
    } finally {
      await service.stop();
    }
  });
});
