/**
 * `cosell serve [--port N] [--host ADDR] [--public-url URL] [--poll-interval MIN] [--register]`: the
 * connector as a service. One process owns the store lock, receives Partner Center's webhooks (a
 * targeted sync of the named referral within a second or two), polls both change feeds on a timer as a
 * backstop, and answers `/healthz`, `/readyz` and `/metrics`. SIGTERM or Ctrl-C: stop accepting, finish
 * the current page, release the lock, exit 0; a second signal ends it at once.
 *
 * `cosell serve --database REF [--port N] [--host ADDR]`: a multi-tenant install's dashboard (with its
 * tenant picker), `/metrics` and `/healthz` over the PostgreSQL database the workers use (serve-tenants-run.ts).
 */
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { command } from '../output.js';
import { startupStop, type StartupStop } from '../held-stop.js';
import type { ExitCode } from '../exit-codes.js';
import { parseIntervalMinutes } from './run.js';

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
  database?: string;
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
    .option('--database <reference>', "multi-tenant: every tenant's dashboard, /metrics, and webhooks at /tenants/{id}/webhooks/partner-center handed to the workers, from this PostgreSQL URL (a secret reference, env:NAME or file:/path); no sync runs here")
    .action(
      command(async (opts: ServeFlags) => {
        // Listening before anything is awaited (the service's modules load for a while, the database opens): held-stop.ts.
        const startup = startupStop();
        try {
          return await serveWith(opts, program.opts<{ config: string }>().config, startup);
        } finally {
          startup.end();
        }
      }),
    );
}

/** Either serve; `startup` listens for a stop until the service's own handlers take over (each run file hands over). */
async function serveWith(opts: ServeFlags, configFile: string, startup: StartupStop): Promise<ExitCode> {
  if (opts.database !== undefined) {
    const refused = (['publicUrl', 'pollInterval', 'register'] as const).find((flag) => opts[flag] !== undefined);
    if (refused) throw new ConfigError('--database', `a multi-tenant serve runs no sync (each tenant registers its own webhook URL, /tenants/{id}/webhooks/partner-center), so --${refused.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} does not apply`);
    const { runTenantsServe } = await import('./serve-tenants-run.js');
    return runTenantsServe(opts.database, {
      ...(opts.port !== undefined ? { port: parsePort(opts.port) } : {}),
      ...(opts.host !== undefined ? { host: opts.host } : {}),
    }, configFile, startup);
  }
  const settings = {
    ...(opts.port !== undefined ? { port: parsePort(opts.port) } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.publicUrl !== undefined ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.pollInterval !== undefined ? { pollIntervalMinutes: parseIntervalMinutes(opts.pollInterval) } : {}),
  };
  // Loaded when the command runs: the service (fastify, the engine, the connectors) is not part of `cosell --help`.
  const { runServe } = await import('./serve-run.js');
  return runServe(settings, opts.register === true, configFile, startup);
}
