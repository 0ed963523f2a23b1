/**
 * What `cosell serve` does once it runs (commands/serve.ts parses the options): opens the runtime, starts
 * the service under the store lock, optionally registers the webhook URL, follows edits of the config file
 * (core/serve/config-follow.ts), and stops cleanly on SIGTERM.
 */
import { dashboardForServe } from '../../dashboard/serve-plugin.js';
import { ourWebhookUrl, registrationClientFor } from '../../serve/registration.js';
import { startServe } from '../../serve/start.js';
import type { StartServeOptions } from '../../serve/start.js';
import { WEBHOOK_PATH } from '../../serve/webhook-route.js';
import { ConfigFileWatch } from '../config-reload.js';
import { serveEditReport } from '../serve-edit-report.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { describeLocked } from '../run-report.js';
import { openRuntime, type Runtime } from '../runtime.js';
import { runnerOwner } from '../runner-lock.js';
import { reopenLogOnHangUp } from '../log-hang-up.js';
import { onStopSignals } from '../stop-signals.js';
import type { StartupStop } from '../held-stop.js';
import { runnerStopHandlers } from '../runner-stop.js';

/**
 * `startup`: listening since the command's first line (held-stop.ts; the caller ends it however this ends): a
 * stop while the store opens or the service starts ends with 0 once what was started is stopped; the
 * service's own handlers take over below.
 */
export async function runServe(settings: NonNullable<StartServeOptions['settings']>, register: boolean, configFile: string, startup: StartupStop): Promise<ExitCode> {
  const watch = new ConfigFileWatch(configFile);
  const first = await openRuntime({ configFile });
  if (startup.signal.aborted) {
    first.close();
    console.log(`${startup.asked()}: stopped before the service started.`);
    return EXIT.ok;
  }
  const publicUrl = settings.publicUrl ?? first.config.serve.publicUrl;
  if (register) ourWebhookUrl(publicUrl); // says what is missing before anything starts
  const owner = runnerOwner('serve');
  const config = {
    watch,
    open: (replacing: Runtime) => openRuntime({ configFile, replacing }),
    report: serveEditReport(configFile, 'the next sync', 'sync'),
  };
  let running;
  try {
    running = await startServe({ runtime: first, owner, settings, plugins: [dashboardForServe], config });
  } catch (error) {
    first.close();
    throw error;
  }
  if ('lockedBy' in running) {
    first.close();
    console.error(`cosell: ${describeLocked(running.lockedBy)}`);
    return EXIT.locked;
  }
  const service = running;
  // The runtime in use: an edited config replaces the one opened first.
  const runtime = () => service.context.runtime;
  const hangUp = reopenLogOnHangUp(() => runtime().logger);
  let graceful: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    graceful = (signal: NodeJS.Signals) => {
      console.log(`${signal}: stopping (no new connections, the current page finishes within ${runtime().config.sync.stopGraceSeconds} s, the lock is released).`);
      void service.stop().finally(() => {
        stopSignals();
        hangUp();
        resolve();
      });
    };
    const stopSignals = onStopSignals(runnerStopHandlers(runtime, owner, graceful, EXIT.ok));
  });
  // Handed over with no await between; a stop asked while the service started is carried out now.
  startup.end();
  const asked = startup.asked();
  if (asked) graceful(asked);
  else console.log(`Listening on ${service.url}: the dashboard at /, webhooks at ${WEBHOOK_PATH}, /healthz, /readyz, /metrics. Backstop poll every ${service.context.settings.pollIntervalMinutes} minute(s).`);
  if (register && !asked) {
    try {
      const { registration, replaced } = await registrationClientFor(first.config).register(ourWebhookUrl(publicUrl), first.config.serve.webhooks.signatureInMsHeader);
      if (replaced && replaced.webhookUrl !== registration.webhookUrl) console.log(`Replaced the webhook registration for ${replaced.webhookUrl} (one URL per event: that receiver no longer gets these events).`);
      console.log(`Registered ${registration.webhookUrl} for Partner Center's referral events.`);
    } catch (error) {
      await service.stop();
      runtime().close();
      throw error;
    }
  }
  await stopped;
  runtime().close();
  console.log('Stopped.');
  return EXIT.ok;
}
