/**
 * `cosell link CRM-ID REFERRAL-ID`: confirms a binding the two sides do not agree on by themselves
 * (core/engine/binding.ts, core/engine/confirm-link.ts). Refusals exit 2: the IDs given cannot be linked,
 * and the message says why.
 */
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { command } from '../output.js';
import { openRuntime } from './lazy-parts.js';

export function registerLinkCommand(program: Command): void {
  program
    .command('link')
    .argument('<crm-id>', 'the CRM opportunity')
    .argument('<referral-id>', 'the Partner Center referral')
    .description('confirm that a CRM record and a Partner Center referral are the same deal and link them (only while the referral has no link)')
    .action(
      command(async (crmId: string, referralId: string) => {
        // Loaded when the command runs, not at start: `cosell --help` and every other command start without it.
        const { confirmLink } = await import('../../engine/confirm-link.js');
        const runtime = await openRuntime({ configFile: program.opts<{ config: string }>().config });
        try {
          const result = await confirmLink({ store: runtime.store, crm: runtime.crm, partnerCenter: runtime.partnerCenter, now: () => new Date() }, crmId, referralId);
          console.log(result.message);
          return result.linked ? EXIT.ok : EXIT.config;
        } finally {
          runtime.close();
        }
      }),
    );
}
