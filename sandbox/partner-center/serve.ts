/**
 * Runs the Entra ID and Partner Center sandboxes side by side for curl and the demo:
 *
 *   npx tsx sandbox/partner-center/serve.ts
 *
 * Environment: ENTRA_PORT (default 7001), PARTNER_CENTER_PORT (default 7002), PARTNER_CENTER_STATE (a JSON
 * file to keep the data in between runs), PARTNER_CENTER_SEED (`default`, `none` or a number of bulk referrals).
 */
import { SandboxClock } from '../common/clock.js';
import { startEntraSandbox } from '../entra/index.js';
import { startPartnerCenterSandbox } from './index.js';

const env = process.env;
const seedSetting = env.PARTNER_CENTER_SEED ?? 'default';
const seed = seedSetting === 'none' || seedSetting === 'default' ? seedSetting : Number(seedSetting);
const clock = new SandboxClock();
const entra = await startEntraSandbox({ clock, port: Number(env.ENTRA_PORT ?? 7001) });
const pc = await startPartnerCenterSandbox({
  clock,
  signer: entra.signer,
  port: Number(env.PARTNER_CENTER_PORT ?? 7002),
  seed,
  ...(env.PARTNER_CENTER_STATE ? { persistFile: env.PARTNER_CENTER_STATE } : {}),
});
process.stdout.write(`Entra ID sandbox:       ${entra.url} (token endpoint ${entra.url}/common/oauth2/token)\n`);
process.stdout.write(`Partner Center sandbox: ${pc.url} (${pc.store.size} referrals; controls under ${pc.url}/_sandbox/partner-center/)\n`);
const stop = () => {
  void pc.close().then(() => entra.close()).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
