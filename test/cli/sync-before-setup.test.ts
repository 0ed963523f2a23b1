/**
 * A newcomer's likeliest mistake: `cosell sync --once` before `cosell setup <crm>`, so the connector's own
 * fields do not exist in the CRM yet. The real binary against sandboxes left unset-up must say that the CRM
 * is not set up, name the missing field and the command to run, and exit 5 (not ready), not 1 with the raw
 * API error.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';

const CASES = [
  { kind: 'salesforce', name: 'Salesforce', field: /Opportunity\.Cosell_\w+__c|Cosell_\w+__c/ },
  { kind: 'dynamics', name: 'Dynamics 365', field: /cosell_\w+/ },
] as const;

for (const { kind, name, field } of CASES) {
  describe(`sync before setup (the real binary, ${name} sandbox without the connector's fields)`, function () {
    this.timeout(180_000);
    let world: CliWorld;
    before(async () => {
      world = await startCliWorld(kind, { setup: false });
    });
    after(async () => {
      await world?.close();
    });

    it(`says ${name} is not set up, names the missing field and the setup command, and exits 5`, async () => {
      const result = await world.cli(['sync', '--once']);
      const output = `${result.stdout}\n${result.stderr}`;
      assert.equal(result.code, EXIT.notReady, output.slice(0, 1500));
      assert.match(output, new RegExp(`${name} is not set up for the connector yet: ${field.source} does not exist`));
      assert.match(output, new RegExp(`Run \`cosell setup ${kind}\`.*then \`cosell check\``));
      assert.doesNotMatch(output, /RemoteValidationError|Dataverse answered 400 \(0x0\)/);
    });
  });
}
