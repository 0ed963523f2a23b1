/**
 * `cosell webhooks register|status|unregister`: Partner Center's webhook registration for this
 * connector. Partner Center keeps one URL per event, so `register` replaces any registration, including
 * the one Microsoft's own connector made: it says so when it does.
 */
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { command, terminalJson } from '../output.js';

export function registerWebhooksCommands(program: Command): void {
  // Config, endpoint policy and registration client load when a subcommand runs, not for `cosell --help`.
  const parts = async () => {
    const [{ enforceConfigEndpoints }, { loadConfig }, registration] = await Promise.all([
      import('../../../config/endpoints.js'),
      import('../../../config/load.js'),
      import('../../serve/registration.js'),
    ]);
    return { enforceConfigEndpoints, loadConfig, ...registration };
  };
  const config = async () => {
    const { enforceConfigEndpoints, loadConfig } = await parts();
    const loaded = loadConfig(program.opts<{ config: string }>().config);
    // The registration API gets the Partner Center token: its URL passes the endpoint policy first.
    enforceConfigEndpoints(loaded);
    return loaded;
  };
  const webhooks = program.command('webhooks').description("Partner Center's webhook registration (cosell serve receives the events)");

  webhooks
    .command('register')
    .description('register this service for the four referral events (replaces any registration, such as Microsoft’s connector)')
    // `--public-url` as `cosell serve` and the config key name it (and the missing-URL message says);
    // `--url` is the older spelling, kept.
    .option('--public-url <url>', 'the public https URL of cosell serve (default: serve > publicUrl)')
    .option('--url <publicUrl>', 'the same as --public-url')
    .action(
      command(async (opts: { publicUrl?: string; url?: string }) => {
        const { ourWebhookUrl, registrationClientFor } = await parts();
        const cfg = await config();
        const url = ourWebhookUrl(opts.publicUrl ?? opts.url ?? cfg.serve.publicUrl);
        const { registration, replaced } = await registrationClientFor(cfg).register(url, cfg.serve.webhooks.signatureInMsHeader);
        if (replaced && replaced.webhookUrl !== url) console.log(`Replaced the registration for ${replaced.webhookUrl} (Partner Center keeps one URL per event; another connector, such as Microsoft's, no longer receives these events).`);
        console.log(`Registered ${registration.webhookUrl} for ${registration.events.join(', ')}.`);
        return EXIT.ok;
      }),
    );

  webhooks
    .command('status')
    .description('show the registered URL, whether it is ours and whether it answers (exit 5 when it is not working)')
    .option('--json', 'print as JSON')
    .action(
      command(async (opts: { json?: boolean }) => {
        const { judgeRegistration, registrationProblem } = await parts();
        const cfg = await config();
        const verdict = await judgeRegistration(cfg);
        // Judged as `cosell check` judges its webhooks line, and with its exit code: a script or a monitoring
        // check learns from the code alone that Partner Center's events are being lost.
        const problem = registrationProblem(cfg.serve.publicUrl !== undefined, verdict);
        if (opts.json) console.log(terminalJson({ ready: problem === undefined, ...verdict, ...(problem ? { problem } : {}) }));
        else {
          console.log(verdict.detail);
          if (problem) console.log(`Not ready: ${problem}.`);
        }
        return problem ? EXIT.notReady : EXIT.ok;
      }),
    );

  webhooks
    .command('unregister')
    .description('remove the webhook registration (the backstop poll keeps syncing)')
    .action(
      command(async () => {
        const removed = await (await parts()).registrationClientFor(await config()).unregister();
        console.log(removed ? 'Removed the webhook registration.' : 'There was no webhook registration.');
        return EXIT.ok;
      }),
    );
}
