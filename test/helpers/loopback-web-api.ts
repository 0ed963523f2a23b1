/**
 * A Dataverse client signed in by the Entra ID sandbox and pointed at a test's own loopback Web API (a bare
 * `node:http` handler), for tests of how the client reads answers the sandbox would not send (paused, cut, large).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataverseClient } from '../../connectors/dynamics/client.js';
import { parseDynamicsOptions } from '../../connectors/dynamics/config.js';
import { silentLogger } from '../../core/logger.js';
import { dynamicsOptionsFor } from '../../sandbox/dataverse/adapter-options.js';
import { SANDBOX_APPS, startEntraSandbox } from '../../sandbox/entra/index.js';

export interface LoopbackWebApi {
  client: DataverseClient;
  close(): Promise<void>;
}

export async function startLoopbackWebApi(handler: RequestListener): Promise<LoopbackWebApi> {
  const entra = await startEntraSandbox();
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const options = parseDynamicsOptions({ ...dynamicsOptionsFor({ url, environmentUrl: 'https://contoso-sandbox.crm.dynamics.com' }, entra, 'env:UNUSED'), retries: 1 });
  const client = new DataverseClient(options, { logger: silentLogger(), clientSecret: SANDBOX_APPS.dataverse.clientSecret, sleep: async () => undefined });
  return {
    client,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await entra.close();
    },
  };
}
