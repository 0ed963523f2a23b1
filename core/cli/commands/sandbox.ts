/**
 * `cosell sandbox`: starts the Entra ID, Partner Center, Salesforce and Dataverse sandboxes on loopback.
 * The first line of standard output is one JSON object with each sandbox's base URL and credentials;
 * then it serves until stopped. `--write-config FILE` writes a config ready to sync against them.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { startSandboxSet } from '../../../sandbox/launch.js';
import { ConfigError } from '../../errors.js';
import { command } from '../output.js';

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('start the local sandboxes of every API the connector talks to')
    .option('--write-config <file>', 'write a config that syncs against the sandboxes')
    .option('--crm <kind>', 'the CRM sandbox the written config uses: salesforce or dynamics', 'salesforce')
    .option('--persist <dir>', 'keep the sandboxes\' data in this folder between runs')
    .option('--no-seed', 'start empty, without the demo data')
    .action(
      command(async (opts: { writeConfig?: string; crm: string; persist?: string; seed: boolean }) => {
        if (opts.crm !== 'salesforce' && opts.crm !== 'dynamics') throw new ConfigError('--crm', 'must be salesforce or dynamics');
        const set = await startSandboxSet({ seed: opts.seed, ...(opts.persist ? { persistDir: opts.persist } : {}) });
        const description: Record<string, unknown> = { ...set.describe() };
        if (opts.writeConfig) {
          const file = resolve(opts.writeConfig);
          const config = set.configFor(opts.crm, join(dirname(file), '.state'));
          writeFileSync(file, `# Written by "cosell sandbox": syncs the ${opts.crm} sandbox with the Partner Center sandbox.\n${stringify(config)}`);
          description.config = file;
        }
        console.log(JSON.stringify(description));
        await new Promise<void>((resolveStop) => {
          process.once('SIGINT', resolveStop);
          process.once('SIGTERM', resolveStop);
        });
        await set.close();
      }),
    );
}
