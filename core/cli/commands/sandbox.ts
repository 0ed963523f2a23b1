/**
 * `cosell sandbox`: starts the Entra ID, Partner Center, Salesforce and Dataverse sandboxes on loopback.
 * The first line of standard output is one JSON object with each sandbox's base URL and credentials;
 * then it serves until stopped. What a person should know (a port that moved, what happened to the
 * config file) goes to standard error, so the first line stays machine-readable.
 * `--write-config FILE` writes a config ready to sync against them; an existing FILE only has its
 * sandbox URLs updated, unless `--force`.
 */
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { command } from '../output.js';
import { defaultTiering } from '../../v8-tiering.js';

interface SandboxOptions {
  writeConfig?: string;
  force?: boolean;
  crm: string;
  persist?: string;
  seed: boolean;
}

export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('start the local sandboxes of every API the connector talks to')
    .option('--write-config <file>', 'write a config that syncs against the sandboxes (an existing file only gets its sandbox URLs updated)')
    .option('--force', 'with --write-config: replace an existing config file whole')
    .option('--crm <kind>', 'the CRM sandbox the written config uses: salesforce or dynamics', 'salesforce')
    .option('--persist <dir>', 'keep the sandboxes\' data, ports and sign-ins in this folder between runs')
    .option('--no-seed', 'start empty, without the demo data')
    .action(
      command(async (opts: SandboxOptions, invoked: Command) => {
        // Servers under a sustained load: V8's own tiering, not the one tuned for sync runs (core/v8-tiering.ts).
        defaultTiering();
        const kind = opts.crm;
        if (kind !== 'salesforce' && kind !== 'dynamics') throw new ConfigError('--crm', 'must be salesforce or dynamics');
        if (opts.force && !opts.writeConfig) throw new ConfigError('--force', 'only goes with --write-config FILE');
        // Loaded here, not at the top: every other command starts without the four sandboxes' code.
        const [{ describeConfigWrite, describeFreshSandboxes, describeKindKept, writeSandboxConfig }, { startSandboxSet }, { describeMove }, { stringify }] = await Promise.all([
          import('../../../sandbox/config-file.js'),
          import('../../../sandbox/launch.js'),
          import('../../../sandbox/set-state.js'),
          import('yaml'),
        ]);
        const set = await startSandboxSet({ seed: opts.seed, ...(opts.persist ? { persistDir: opts.persist } : {}) });
        try {
          const description: Record<string, unknown> = { ...set.describe(), ...(set.portMoves.length ? { portMoves: set.portMoves } : {}) };
          const notices = set.portMoves.map(describeMove);
          if (opts.writeConfig) {
            const file = resolve(opts.writeConfig);
            const result = writeSandboxConfig(file, {
              force: opts.force === true,
              kind,
              fresh: () => `# Written by "cosell sandbox": syncs the ${kind} sandbox with the Partner Center sandbox.\n${stringify(set.configFor(kind, join(dirname(file), '.state'), { dashboardAndNotifications: true }))}`,
              settingsFor: set.urlSettings,
            });
            Object.assign(description, { config: file, configAction: result.action, configUpdated: result.updated });
            notices.push(describeConfigWrite(result));
            // Said only when the admin named a CRM: without --crm, the file's own CRM is the one meant.
            const kindKept = invoked.getOptionValueSource('crm') === 'cli' ? describeKindKept(result, kind) : undefined;
            if (kindKept) notices.push(kindKept);
            const fresh = opts.persist ? undefined : describeFreshSandboxes(result);
            if (fresh) notices.push(fresh);
          }
          // Listening for the stop before the description says the sandboxes are up: whoever reads it (a
          // script, a test) may stop them at once, and a SIGTERM that came before the listener ended the
          // process by Node's default, without closing the sandboxes (a --persist folder left unsaved).
          const stopped = new Promise<void>((resolveStop) => {
            process.once('SIGINT', resolveStop);
            process.once('SIGTERM', resolveStop);
          });
          console.log(JSON.stringify(description));
          for (const notice of notices) console.error(`cosell sandbox: ${notice}`);
          await stopped;
        } finally {
          // Also when the config cannot be written: open servers would keep the process alive.
          await set.close();
        }
      }),
    );
}
