/** `cosell login partner-center`: the one interactive step, a device-code sign-in stored encrypted. */
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { command } from '../output.js';

export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('sign in once; later runs refresh silently')
    .argument('<service>', 'partner-center')
    .action(
      command(async (service: string) => {
        if (service !== 'partner-center') throw new ConfigError('service', 'only "partner-center" needs a sign-in (CRMs use the credentials in the config)');
        // Loaded when the command runs, not at start: `cosell --help` and every other command start without it.
        const [{ loginPartnerCenter }, { loadConfig }] = await Promise.all([import('../../../connectors/partner-center/index.js'), import('../../../config/load.js')]);
        const config = loadConfig(program.opts<{ config: string }>().config);
        const result = await loginPartnerCenter(config.partnerCenter, { onPrompt: (prompt) => console.log(prompt.message) });
        console.log(`Signed in as ${result.username}. The session is stored encrypted in ${result.tokenCachePath}.`);
      }),
    );
}
