/**
 * The webhook registration API (partner-center-api.md §1.14): `GET`, `PUT` (overwrite) and `DELETE`
 * on `/webhooks/v1/registration`, with a Partner Center token for `api.partnercenter.microsoft.com`.
 * A partner has one registration, so one URL per event: registering replaces whatever was registered,
 * such as Microsoft's own Power Automate connector.
 */
import axios, { type AxiosInstance } from 'axios';
import { ConnectorError } from '../../core/errors.js';
import { prepareGlobalAgents } from '../../core/http/global-agents.js';
import { tokenProviderFor } from './auth/login.js';
import type { AccessTokenProvider } from './auth/token-provider.js';
import { parsePartnerCenterOptions, type PartnerCenterClientOptionsInput } from './config.js';

/** Tokens for the registration API are for this resource (§1.14). */
export const REGISTRATION_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const REFERRAL_WEBHOOK_EVENTS = ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated'] as const;

export interface WebhookRegistration {
  subscriberId?: string;
  webhookUrl: string;
  events: string[];
  signatureInMsHeader?: boolean;
}

interface WireRegistration {
  SubscriberId?: string;
  WebhookUrl: string;
  WebhookEvents: string[];
  SignatureTokenToMsSignatureHeader?: boolean;
}

const fromWire = (w: WireRegistration): WebhookRegistration => ({
  ...(w.SubscriberId ? { subscriberId: w.SubscriberId } : {}),
  webhookUrl: w.WebhookUrl,
  events: w.WebhookEvents ?? [],
  ...(w.SignatureTokenToMsSignatureHeader !== undefined ? { signatureInMsHeader: w.SignatureTokenToMsSignatureHeader } : {}),
});

export class WebhookRegistrationClient {
  private readonly http: AxiosInstance;

  constructor(
    private readonly registrationUrl: string,
    private readonly tokens: AccessTokenProvider,
  ) {
    // No redirects: the bearer token must not follow a Location header elsewhere.
    prepareGlobalAgents();
    this.http = axios.create({ timeout: 30_000, maxRedirects: 0, validateStatus: () => true });
  }

  /** The current registration, or undefined when there is none. */
  async get(): Promise<WebhookRegistration | undefined> {
    const response = await this.send('GET');
    if (response.status === 404) return undefined;
    return fromWire(this.ok(response, 'read the webhook registration') as WireRegistration);
  }

  /** Registers `webhookUrl` for the referral events, replacing any registration (PUT when one exists). */
  async register(webhookUrl: string, signatureInMsHeader: boolean): Promise<{ registration: WebhookRegistration; replaced?: WebhookRegistration }> {
    const existing = await this.get();
    const body: WireRegistration = { WebhookUrl: webhookUrl, WebhookEvents: [...REFERRAL_WEBHOOK_EVENTS], SignatureTokenToMsSignatureHeader: signatureInMsHeader };
    const response = await this.send(existing ? 'PUT' : 'POST', body);
    const registration = fromWire(this.ok(response, 'register the webhook') as WireRegistration);
    return { registration, ...(existing ? { replaced: existing } : {}) };
  }

  /**
   * Removes the registration. UNVERIFIED: the webhooks page documents no DELETE; the sandbox answers it.
   * Returns false when there was none.
   */
  async unregister(): Promise<boolean> {
    const response = await this.send('DELETE');
    if (response.status === 404) return false;
    this.ok(response, 'remove the webhook registration');
    return true;
  }

  /** One request; a 401 (a token the service no longer honours) refreshes the token once and asks again, as the referrals client does. */
  private async send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', data?: unknown) {
    const once = async (forceRefresh: boolean) => {
      const token = await this.tokens.getAccessToken({ forceRefresh });
      return this.http.request({ method, url: this.registrationUrl, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, ...(data ? { data } : {}) });
    };
    const response = await once(false);
    return response.status === 401 ? once(true) : response;
  }

  private ok(response: { status: number; data: unknown }, what: string): unknown {
    if (response.status >= 200 && response.status < 300) return response.data;
    const detail = (response.data as { error?: { message?: string } } | undefined)?.error?.message ?? (response.data as { description?: string } | undefined)?.description ?? '';
    const code = response.status === 401 || response.status === 403 ? 'auth_failed' : 'partner_center_failed';
    throw new ConnectorError(code, `Partner Center refused to ${what}: HTTP ${response.status}${detail ? `: ${detail}` : ''}`, false);
  }
}

/** The client for a config's Partner Center sign-in, asking tokens for the registration API's resource. */
export function webhookRegistrationClient(partnerCenter: PartnerCenterClientOptionsInput, registrationUrl: string, env: NodeJS.ProcessEnv = process.env): WebhookRegistrationClient {
  const options = parsePartnerCenterOptions(partnerCenter);
  return new WebhookRegistrationClient(registrationUrl, tokenProviderFor({ ...options, scopes: [REGISTRATION_SCOPE] }, env));
}
