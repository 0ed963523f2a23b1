/**
 * The notifications as data: one template per cause, with `{placeholders}` filled from the facts of the
 * cause (core/notify/causes.ts). `audience` says who receives it: the sellers on the deal (or the
 * configured mailbox), or the admins. The rules quoted come from the seeds: inbound referrals must be
 * accepted or declined within 14 days or they expire; a refused deal shows its reason on the CRM record.
 */
/** The response field's name when the CRM is not known (each connector states its own label: connectors/registry.ts). */
export const DEFAULT_RESPONSE_FIELD = 'Referral response';

export const NOTIFICATION_TEMPLATES = {
  'inbound-new': {
    audience: 'seller',
    subject: 'New co-sell referral: {dealName}',
    lines: [
      '{from} sent you a co-sell referral for {customer} ({value}).',
      'Accept or decline it in the CRM before {answerBy} ({timeLeft} left): open the opportunity, set "{responseField}" to Accept or Decline and save. Partner Center archives it as Expired after 14 days without an answer.',
    ],
  },
  'inbound-expiring': {
    audience: 'seller',
    subject: 'Answer the referral {dealName} within {timeLeft}',
    lines: [
      'The co-sell referral for {customer} has {timeLeft} left of its 14 days (answer by {answerBy}).',
      'Open the opportunity in the CRM and accept or decline it; without an answer Partner Center archives it as Expired.',
    ],
  },
  parked: {
    audience: 'seller',
    subject: 'Fix needed: {dealName} could not sync',
    lines: [
      '{dealName} ({recordId}) was not {blocked}.',
      'Field: {field}. Rule: {rule}.',
      'What to fix: {message}',
      'Correct the field on the CRM record and save; the next sync sends it again.',
    ],
  },
  'registration-deadline': {
    audience: 'seller',
    subject: 'Register the won deal {dealName} by {deadline}',
    lines: [
      '{dealName} ({recordId}) is eligible for deal registration in Partner Center, which should happen within 60 days of contract signature: register by {deadline}.',
      '{note}',
      'Open the deal in Partner Center from the link on the CRM record and choose Register now.',
    ],
  },
  'runs-failed': {
    audience: 'admin',
    subject: 'cosell-connector: {count} sync runs in a row failed',
    lines: ['The last {count} sync runs failed. The latest: {message}', 'Run "cosell status" on the server for details; the next run resumes from the last committed page.'],
  },
  // Partner Center, Salesforce or Dataverse: the message names the service that refused and what fixes it
  // (`cosell login partner-center` fixes only the first).
  'sign-in-lost': {
    audience: 'admin',
    subject: 'cosell-connector: a sign-in was refused',
    lines: ['A sync run could not sign in: {message}', 'Syncing resumes on the next run once that is fixed; nothing needs restarting.'],
  },
} as const;

export type NoticeKind = keyof typeof NOTIFICATION_TEMPLATES;

/** The subject and first line of the daily digest. */
export const DIGEST_TEMPLATE = {
  subject: 'Co-sell digest: {count} item(s) need you',
  intro: 'Here is what needs your attention since the last digest:',
} as const;
