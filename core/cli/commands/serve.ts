/**
 * `cosell serve [--port N] [--host ADDR] [--public-url URL] [--poll-interval MIN] [--register]`: the
 * connector as a service. One process owns the store lock, receives Partner Center's webhooks (a
 * targeted sync of the named referral within a second or two), polls both change feeds on a timer as a
 * backstop, and answers `/healthz`, `/readyz` and `/metrics`. SIGTERM or Ctrl-C: stop accepting, finish
 * the current page, release the lock, exit 0; a second signal ends it at once.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { ourWebhookUrl, registrationClientFor } from '../../serve/registration.js';
import { startServe } from '../../serve/start.js';
import { WEBHOOK_PATH } from '../../serve/webhook-route.js';
import { EXIT } from '../exit-codes.js';
import { command } from '../output.js';
import { describeLocked } from '../run-report.js';
import { parseIntervalMinutes } from './run.js';
import { openRuntime } from '../runtime.js';
import { thisProcess } from '../runner-lock.js';
import { onStopSignals } from '../stop-signals.js';

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new ConfigError('--port', `"${text}" is not a TCP port (0–65535; 0 picks a free one)`);
  return port;
}

interface ServeFlags {
  port?: string;
  host?: string;
  publicUrl?: string;
  pollInterval?: string;
  register?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run as a service: Partner Center webhooks, a backstop poll, /healthz, /readyz and /metrics')
    .option('--port <n>', 'TCP port to listen on (default from the config, 8080; 0 picks a free one)')
    .option('--host <address>', 'address to listen on (default from the config, 127.0.0.1)')
    .option('--public-url <url>', 'the https URL Partner Center reaches this service at (default: serve > publicUrl)')
    .option('--poll-interval <minutes>', 'minutes between backstop polls (default from the config, 15)')
    .option('--register', "register the public URL for Partner Center's referral events (replaces any registration)")
    .action(
      command(async (opts: ServeFlags) => {
        const settings = {
          ...(opts.port !== undefined ? { port: parsePort(opts.port) } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          ...(opts.publicUrl !== undefined ? { publicUrl: opts.publicUrl } : {}),
          ...(opts.pollInterval !== undefined ? { pollIntervalMinutes: parseIntervalMinutes(opts.pollInterval) } : {}),
        };
        const runtime = await openRuntime({ configFile: program.opts<{ config: string }>().config });
        const publicUrl = settings.publicUrl ?? runtime.config.serve.publicUrl;
        if (opts.register) ourWebhookUrl(publicUrl); // says what is missing before anything starts
        const { pid, host } = thisProcess();
        const owner = `serve@${host}:${pid}`;
        let running;
        try {
          running = await startServe({ runtime, owner, settings });
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
        const stopped = new Promise<void>((resolve) => {
          const stopSignals = onStopSignals({
            graceful: (signal) => {
              console.log(`${signal}: stopping (no new connections, the current page finishes, the lock is released).`);
              void service.stop().finally(() => {
                stopSignals();
                resolve();
              });
            },
            onForce: () => {
              runtime.store.releaseLock(owner);
              runtime.close();
            },
          });
        });
        console.log(`Listening on ${service.url}: webhooks at ${WEBHOOK_PATH}, /healthz, /readyz, /metrics. Backstop poll every ${service.context.settings.pollIntervalMinutes} minute(s).`);
        if (opts.register) {
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
      }),
    );
}
