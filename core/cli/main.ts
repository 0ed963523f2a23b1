/**
 * The `cosell` command line. Each group of commands lives in its own file under commands/.
 */
import { Command, CommanderError } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../config/default-file.js';
import { registerCsvCommands } from './commands/csv.js';
import { registerLinkCommand } from './commands/link.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerLoginCommand } from './commands/login.js';
import { registerRunCommand } from './commands/run.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerServeCommand } from './commands/serve.js';
import { registerSetupCommands } from './commands/setup.js';
import { registerStateCommands } from './commands/state.js';
import { registerStatusCommands } from './commands/status.js';
import { registerSyncCommands } from './commands/sync.js';
import { registerTenantCommands } from './commands/tenants.js';
import { registerWebhooksCommands } from './commands/webhooks.js';
import { registerWorkerCommand } from './commands/worker.js';
import { EXIT } from './exit-codes.js';
import { cliFlags } from './output.js';
import { limitHeapGrowth } from '../heap-growth.js';
import { tuneTiering } from '../v8-tiering.js';
import { reportUncaughtErrors } from './last-resort.js';
import { releaseHeldStop } from './held-stop.js';

// Before any command allocates: a sync's peak memory follows V8's heap growth (core/heap-growth.ts).
limitHeapGrowth();
// And before any command runs code: which functions V8's optimizing compiler takes (core/v8-tiering.ts).
tuneTiering();

// An error nothing caught is reported without its request's headers (last-resort.ts), not dumped whole.
reportUncaughtErrors();

// `cosell status | head`: the reader went away, which is not an error of ours. End quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

const program = new Command()
  .name('cosell')
  .description('Run Microsoft co-selling from your CRM: two-way sync of Partner Center referrals with Salesforce and Dynamics 365.')
  .version('0.1.0')
  .option('-c, --config <file>', 'the config file', process.env.COSELL_CONFIG ?? DEFAULT_CONFIG_FILE)
  .option('-v, --verbose', 'log progress (info) as well as warnings and errors')
  .option('--debug', 'log everything, and print stack traces with errors')
  // Usage errors exit 2 like every other config or command-line error (commander's own default is 1).
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`cosell: ${text.replace(/^error: /, '')}`) })
  .hook('preAction', (root) => {
    const flags = root.opts<{ verbose?: boolean; debug?: boolean }>();
    cliFlags.verbose = flags.verbose === true;
    cliFlags.debug ||= flags.debug === true;
    // A stop asked while the CLI loaded goes to the command now (held-stop.ts).
    releaseHeldStop();
  });

registerSetupCommands(program);
registerLoginCommand(program);
registerSyncCommands(program);
registerRunCommand(program);
registerServeCommand(program);
registerWebhooksCommands(program);
registerStatusCommands(program);
registerStateCommands(program);
registerSandboxCommand(program);
registerCsvCommands(program);
registerLinkCommand(program);
registerExplainCommand(program);
registerTenantCommands(program);
registerWorkerCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // --help and --version end with 0; everything else commander refuses (unknown option, missing argument,
  // no command at all) is a usage error.
  process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.config;
}
