/**
 * What `cosell serve` does once it runs (commands/serve.ts parses the options): opens the runtime, starts
 * the service under the store lock, optionally registers the webhook URL, and stops cleanly on SIGTERM.
 */
import { dashboardForServe } from '../../dashboard/serve-plugin.js';
import { ourWebhookUrl, registrationClientFor } from '../../serve/registration.js';
import { startServe } from '../../serve/start.js';
import type { StartServeOptions } from '../../serve/start.js';
import { WEBHOOK_PATH } from '../../serve/webhook-route.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { describeLocked } from '../run-report.js';
import { openRuntime } from '../runtime.js';
import { thisProcess } from '../runner-lock.js';
import { reopenLogOnHangUp } from '../log-hang-up.js';
import { onStopSignals } from '../stop-signals.js';
import { runnerStopHandlers } from '../runner-stop.js';

export async function runServe(settings: NonNullable<StartServeOptions['settings']>, register: boolean, configFile: string): Promise<ExitCode> {
  const runtime = await openRuntime({ configFile });
  const publicUrl = settings.publicUrl ?? runtime.config.serve.publicUrl;
  if (register) ourWebhookUrl(publicUrl); // says what is missing before anything starts
  const { pid, host } = thisProcess();
  const owner = `serve@${host}:${pid}`;
  let running;
  try {
    running = await startServe({ runtime, owner, settings, plugins: [dashboardForServe] });
  } catch (error) {
    runtime.close();
    throw error;
  }
  if ('lockedBy' in running) {
    runtime.close();
    console.error(`cosell: ${describeLocked(running.lockedBy)}`);
    return EXIT.locked;
  }
  const service = running;
  const hangUp = reopenLogOnHangUp(() => runtime.logger);
  const stopped = new Promise<void>((resolve) => {
    const graceful = (signal: NodeJS.Signals) => {
      console.log(`${signal}: stopping (no new connections, the current page finishes within ${runtime.config.sync.stopGraceSeconds} s, the lock is released).`);
      void service.stop().finally(() => {
        stopSignals();
        hangUp();
        resolve();
      });
    };
    const stopSignals = onStopSignals(runnerStopHandlers(() => runtime, owner, graceful, EXIT.ok));
  });
  console.log(`Listening on ${service.url}: the dashboard at /, webhooks at ${WEBHOOK_PATH}, /healthz, /readyz, /metrics. Backstop poll every ${service.context.settings.pollIntervalMinutes} minute(s).`);
  if (register) {
    try {
      const { registration, replaced } = await registrationClientFor(runtime.config).register(ourWebhookUrl(publicUrl), runtime.config.serve.webhooks.signatureInMsHeader);
      if (replaced && replaced.webhookUrl !== registration.webhookUrl) console.log(`Replaced the webhook registration for ${replaced.webhookUrl} (one URL per event: that receiver no longer gets these events).`);
      console.log(`Registered ${registration.webhookUrl} for Partner Center's referral events.`);
    } catch (error) {
      await service.stop();
      runtime.close();
      throw error;
    }
  }
  await stopped;
  runtime.close();
  console.log('Stopped.');
  return EXIT.ok;
}
