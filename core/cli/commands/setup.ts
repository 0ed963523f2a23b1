/** `cosell init`, `cosell setup <crm>` and `cosell check`: getting an org ready and proving it is. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CRM_KINDS, isCrmKind } from '../../../connectors/kinds.js';
import { DEFAULT_CONFIG_FILE } from '../../../config/default-file.js';
import { ConfigError } from '../../errors.js';
import { readinessItems } from '../readiness.js';
import { checkOutputFile } from './csv-files.js';
import { EXIT } from '../exit-codes.js';
import { command, table, terminalJson } from '../output.js';
import { openRuntime } from './lazy-parts.js';

export function registerSetupCommands(program: Command): void {
  program
    .command('init')
    .description('write a commented config file to start from')
    .option('--crm <kind>', `the CRM: ${CRM_KINDS.join(' or ')}`, 'salesforce')
    .option('--force', 'overwrite an existing file')
    .action(
      command(async (opts: { crm: string; force?: boolean }) => {
        const file = program.opts<{ config: string }>().config;
        if (!isCrmKind(opts.crm)) throw new ConfigError('--crm', `unknown CRM "${opts.crm}"`);
        if (existsSync(file) && !opts.force) throw new ConfigError(file, 'already exists; pass --force to overwrite it');
        // A folder that is not there (or not writable) is a command-line mistake (exit 2), not a Node error.
        checkOutputFile(file, '--config');
        // Loaded here: the template's CRM sections live beside the connectors, which --help does not load.
        const { configTemplate } = await import('../../../config/template.js');
        writeFileSync(file, configTemplate(opts.crm));
        console.log(`Wrote ${file}. Fill in the <…> values, then run: cosell setup ${opts.crm} && cosell login partner-center && cosell check`);
      }),
    );

  program
    .command('setup')
    .description('create the connector\'s custom fields and objects in the CRM (safe to run again)')
    .argument('<crm>', CRM_KINDS.join(' | '))
    .action(
      command(async (crm: string) => {
        const runtime = await openRuntime({ configFile: program.opts<{ config: string }>().config, crmOnly: true });
        try {
          if (runtime.config.crm.kind !== crm) throw new ConfigError('crm > kind', `the config is for ${runtime.config.crm.kind}, not ${crm}`);
          const report = await runtime.crm.setup();
          const updated = report.updated ?? [];
          console.log(`${runtime.crm.displayName}: created ${report.created.length}, already present ${report.alreadyPresent.length}${updated.length ? `, updated ${updated.length}` : ''}`);
          for (const name of report.created) console.log(`  + ${name}`);
          for (const name of updated) console.log(`  ~ ${name}`);
        } finally {
          runtime.close();
        }
      }),
    );

  program
    .command('check')
    .description('verify fields, permissions, stage mapping, API budget and the Partner Center sign-in, writing nothing')
    .option('--json', 'print the items as JSON')
    .action(
      command(async (opts: { json?: boolean }) => {
        const runtime = await openRuntime({ configFile: program.opts<{ config: string }>().config ?? DEFAULT_CONFIG_FILE });
        try {
          const { webhookCheckItem } = await import('../../serve/registration.js');
          const { trustProxyCheckItem } = await import('../../serve/trust-proxy.js');
          // The single install's own items: its webhook registration and the proxies `cosell serve` believes.
          const items = [...(await readinessItems(runtime)), await webhookCheckItem(runtime.config), trustProxyCheckItem(runtime.config.serve.trustProxy)];
          const ready = items.every((i) => i.ok);
          if (opts.json) {
            console.log(terminalJson({ ready, crm: runtime.crm.displayName, items }));
            return ready ? EXIT.ok : EXIT.notReady;
          }
          console.log(table([['', 'check', 'detail'], ...items.map((i) => [i.ok ? 'ok' : 'FAIL', i.name, i.detail])]));
          console.log(ready ? `\n${runtime.crm.displayName} and Partner Center are ready.` : '\nNot ready: fix the items marked FAIL.');
          return ready ? EXIT.ok : EXIT.notReady;
        } finally {
          runtime.close();
        }
      }),
    );
}
