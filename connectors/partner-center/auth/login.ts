/**
 * `cosell login partner-center`: the one interactive step. The CLI (wired by the lead) calls
 * `loginPartnerCenter` and prints what `onPrompt` receives; the token cache is written encrypted, and
 * every later run of the timer job refreshes silently from it.
 */
import { ConfigError, registerSecret } from '../../../core/errors.js';
import { refuseSecretInClear } from '../../../config/secret-transport.js';
import { parsePartnerCenterOptions, partnerCenterTokenIssuer, type PartnerCenterClientOptions, type PartnerCenterClientOptionsInput } from '../config.js';
import { cacheKeyFromEnv, encryptedFileCachePlugin } from './encrypted-cache.js';
import { DeviceCodeTokenProvider, PasswordGrantTokenProvider, type AccessTokenProvider, type DeviceCodePrompt } from './token-provider.js';

/** The device-code token provider of a configuration, with its encrypted cache. */
export function deviceCodeProviderFor(options: PartnerCenterClientOptions, env: NodeJS.ProcessEnv = process.env): DeviceCodeTokenProvider {
  return new DeviceCodeTokenProvider({
    clientId: options.clientId,
    authority: options.authority,
    authorityMetadata: options.authorityMetadata,
    scopes: options.scopes,
    cachePlugin: encryptedFileCachePlugin(options.tokenCachePath, cacheKeyFromEnv(options.tokenKeyEnv, env)),
  });
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`env > ${name}`, 'must be set for partnerCenter.authMode "password"');
  registerSecret(value);
  return value;
}

/** The token provider `authMode` asks for; scripted credentials come from the environment only. */
export function tokenProviderFor(options: PartnerCenterClientOptions, env: NodeJS.ProcessEnv = process.env): AccessTokenProvider {
  if (options.authMode === 'device-code') return deviceCodeProviderFor(options, env);
  // The client secret and the user's password go to the token endpoint: over plain http only a sandbox's (secret-transport.ts).
  const tokenEndpoint = partnerCenterTokenIssuer(options);
  const sent = (name: string) => {
    const value = required(env, name);
    refuseSecretInClear(`env > ${name}`, tokenEndpoint, value);
    return value;
  };
  return new PasswordGrantTokenProvider({
    clientId: options.clientId,
    authority: options.authority,
    authorityMetadata: options.authorityMetadata,
    scopes: options.scopes,
    clientSecret: sent(options.scripted.clientSecretEnv),
    username: required(env, options.scripted.usernameEnv),
    password: sent(options.scripted.passwordEnv),
  });
}

export interface LoginResult {
  username: string;
  /** Where the encrypted cache was written. */
  tokenCachePath: string;
}

/**
 * Signs in to Partner Center with the device-code flow and stores the tokens encrypted. Throws
 * `ConfigError` when the key variable is missing, `AuthError` when sign-in fails or is declined.
 */
export async function loginPartnerCenter(
  input: PartnerCenterClientOptionsInput,
  io: { onPrompt: (prompt: DeviceCodePrompt) => void; env?: NodeJS.ProcessEnv },
): Promise<LoginResult> {
  const options = parsePartnerCenterOptions(input);
  const provider = deviceCodeProviderFor(options, io.env);
  const { username } = await provider.login(io.onPrompt);
  return { username, tokenCachePath: options.tokenCachePath };
}
