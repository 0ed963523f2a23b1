/**
 * The `cosell` command line. Commands are registered here; each lives in its own file under commands/.
 */
import { Command } from 'commander';

const program = new Command()
  .name('cosell')
  .description('Run Microsoft co-selling from your CRM: two-way sync of Partner Center referrals with Salesforce and Dynamics 365.')
  .version('0.1.0');

await program.parseAsync(process.argv);
