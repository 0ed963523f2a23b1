/**
 * What `cosell sandbox --write-config` says when it keeps a config and the sandboxes start without
 * `--persist`: said for the CRM the file is for. Found walking the README with `--crm dynamics` on
 * 2026-12-06: a Dynamics 365 admin read that the sandboxes "start empty" (they hold the demo data) "with
 * a new Salesforce app" and was told to rewrite "a Salesforce config".
 */
import assert from 'node:assert/strict';
import { describeFreshSandboxes, type ConfigWriteResult } from '../../sandbox/config-file.js';

const kept = (kind: ConfigWriteResult['kind'], action: ConfigWriteResult['action'] = 'unchanged'): ConfigWriteResult => ({ file: '/tmp/cosell.config.yaml', action, updated: [], kind });

describe('cosell sandbox: the notice for a kept config without --persist', () => {
  it('tells a Dynamics 365 admin to sign in again, and nothing about Salesforce or empty sandboxes', () => {
    const notice = describeFreshSandboxes(kept('dynamics'))!;
    assert.match(notice, /cosell login partner-center/);
    assert.doesNotMatch(notice, /Salesforce|start empty/);
  });
  it('tells a Salesforce admin that the connected app is new, so the config needs --force', () => {
    assert.match(describeFreshSandboxes(kept('salesforce', 'updated'))!, /--force to rewrite this Salesforce config/);
  });
  it('says nothing for a config it has just written', () => assert.equal(describeFreshSandboxes(kept('salesforce', 'written')), undefined));
});
