/**
 * Why a Partner Center payload could not be mapped to the canonical referral. The message names the
 * referral (its id, or its name before creation) and the canonical field, so that a seller or an admin
 * can find the record; the payload itself is never copied into the message.
 */
import { ConnectorError } from '../../../core/errors.js';

export class ReferralMappingError extends ConnectorError {
  constructor(
    readonly referral: string,
    readonly field: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('mapping_failed', `Referral ${referral}, field ${field}: ${detail}`, false, { record: referral, field }, options);
  }
}

/** How a referral is named in errors: its id, else its name, else a placeholder. */
export function referralLabel(json: { id?: string | null; name?: string | null } | undefined): string {
  if (json?.id) return json.id;
  if (json?.name) return `"${json.name}"`;
  return '(new referral)';
}
