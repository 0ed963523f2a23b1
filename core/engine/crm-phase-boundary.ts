/**
 * Between the two phases of a run (issue 13): the Partner Center phase's CRM updates may stay in the write
 * buffer while the CRM's feed is read, so that they go out in the same batches as the CRM phase's status
 * write-backs (a 1%-changed cycle then writes once instead of twice).
 *
 * The CRM's listing then shows the records those updates go to as the Partner Center phase read them (the
 * version the run decided on), not as our writes leave them. Such a version is nothing new: the run leaves
 * it out like an echo. A record a seller saved since has another version; it is decided again, after the
 * buffer is written (its page touches the buffer), against the link that write left.
 *
 * Creates are written first: the CRM phase of the same run reads an opportunity created for a referral and
 * sends its CRM ID to Partner Center. So is any update to a record whose decided version is not known.
 */
import type { KnownVersions } from '../../connectors/types.js';
import type { CrmReadAhead } from './crm-read-ahead.js';
import type { WriteBuffer } from './write-buffer.js';

/** Whether the CRM's feed may be read while the buffer still holds the Partner Center phase's writes. */
export function mayReadCrmBeforeWriting(buffer: WriteBuffer, readAhead: CrmReadAhead): boolean {
  return !buffer.holdsCreates() && buffer.pendingCrmIds().every((crmId) => readAhead.decidedVersion(crmId) !== undefined);
}

/** The known versions, and the versions this run has decided on already (left out of the CRM's listing). */
export function withVersionsDecided(known: KnownVersions, readAhead: CrmReadAhead): KnownVersions {
  return {
    prepare: (crmIds) => known.prepare(crmIds),
    isKnown: (crmId, version) => readAhead.decidedVersion(crmId) === version || known.isKnown(crmId, version),
    ...(known.isSettled ? { isSettled: (crmId: string) => known.isSettled!(crmId) } : {}),
  };
}
