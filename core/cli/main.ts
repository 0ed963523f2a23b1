/**
 * The `cosell` command line. Each group of commands lives in its own file under commands/.
 */
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { registerCsvCommands } from './commands/csv.js';
import { registerLoginCommand } from './commands/login.js';
import { registerSandboxCommand } from './commands/sandbox.js';
import { registerSetupCommands } from './commands/setup.js';
import { registerStatusCommands } from './commands/status.js';
import { registerSyncCommands } from './commands/sync.js';

const program = new Command()
  .name('cosell')
  .description('Run Microsoft co-selling from your CRM: two-way sync of Partner Center referrals with Salesforce and Dynamics 365.')
  .version('0.1.0')
  .option('-c, --config <file>', 'the config file', process.env.COSELL_CONFIG ?? DEFAULT_CONFIG_FILE);

registerSetupCommands(program);
registerLoginCommand(program);
registerSyncCommands(program);
registerStatusCommands(program);
registerSandboxCommand(program);
registerCsvCommands(program);

await program.parseAsync(process.argv);
