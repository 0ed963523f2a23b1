/** An integration user's Dataverse Web API call in an end-to-end world (the sandbox over HTTP, with a bearer token). */
import assert from 'node:assert/strict';
import type { World } from '../../sandbox/world.js';
import { applicationToken } from './dataverse-token.js';

export async function webApi(world: World, method: string, path: string, body?: unknown): Promise<void> {
  const token = applicationToken(world.set.entra.signer, world.set.dataverse.environmentUrl);
  const response = await fetch(`${world.set.dataverse.url}/api/data/v9.2/${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'OData-Version': '4.0', Accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${await response.text()}`);
}
