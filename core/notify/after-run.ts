/**
 * The notifications step after each sync run (called by locked-run.ts, the path of `sync --once` and every
 * turn of `cosell run`, and by `cosell serve` after each poll and each targeted sync): decide what deserves a notice, claim each cause once in the store, and send what
 * is due through Graph. It never fails the run: a Graph or sign-in problem is logged and the notice waits
 * for a later run (`markFailed` moves it 15 minutes on).
 */
import { entraTokenIssuer } from '../../config/endpoint-policy.js';
import { resolveSecretFor } from '../../config/secret-transport.js';
import { NOTIFICATION_TEMPLATES } from '../../mappings/notifications.js';
import { responseFieldLabelOf } from '../../connectors/registry.js';
import type { RunReport } from '../engine/sync-engine.js';
import type { Logger } from '../logger.js';
import { RUNS_KEPT, type Link, type ParkedRecord, type RunRecord, type StateStore } from '../store/state-store.js';
import type { NotificationsConfig } from './config.js';
import { noticeDrafts, type NoticeDraft } from './causes.js';
import { describeGraphError, graphSender, type GraphSender } from './graph-sender.js';
import { DIGEST_INTRO, messageHtml, messageSubject, renderNotice, type RenderedNotice } from './render.js';
import { maySendNow, sendAfter } from './schedule.js';

const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export interface NotifyRuntime {
  config: { notifications?: NotificationsConfig | undefined };
  /** The CRM the notices send sellers to (its display name names its fields). */
  crm?: { displayName: string; recordUrlTemplate?: string | undefined; fieldLabels?: Readonly<Record<string, string>> };
  store: StateStore;
  logger: Logger;
  engineDeps(): { now: () => Date };
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * The deal's team members who are our own people (their address at one of `sellerDomains`, by default
 * the `from` mailbox's domain): never Microsoft's sellers or another partner's people on the same deal. Pure.
 */
export function ownSellers(emails: readonly string[], config: Pick<NotificationsConfig, 'from' | 'sellerDomains'>): string[] {
  const own = new Set((config.sellerDomains ?? [domainOf(config.from)]).map((d) => d.toLowerCase()));
  return emails.filter((email) => own.has(domainOf(email)));
}

/** Who receives a draft: our sellers on the deal (or the shared mailbox), or the admins. */
function recipientsOf(draft: NoticeDraft, config: NotificationsConfig): string[] {
  if (NOTIFICATION_TEMPLATES[draft.kind].audience === 'admin') return [...config.admins];
  const sellers = config.sellers ? ownSellers(draft.sellers, config) : [];
  return [...new Set([...sellers, ...(config.mailbox ? [config.mailbox] : [])])];
}

/** Claims every new cause; returns how many were new. */
export function claimNotices(store: StateStore, config: NotificationsConfig, drafts: readonly NoticeDraft[], now: Date, logger: Logger): number {
  let claimed = 0;
  for (const draft of drafts) {
    const to = recipientsOf(draft, config);
    if (to.length === 0 && !config.teamsChannel && !config.teamsChat) {
      logger.debug({ cause: draft.cause }, 'notification has nobody to go to (no sellers on the deal, no mailbox, no Teams channel); not recorded');
      continue;
    }
    const notice = renderNotice(draft, to, config.crmRecordUrl);
    const at = sendAfter(now, notice.audience, config);
    if (store.notices.claim({ cause: draft.cause, kind: draft.kind, notice, createdAt: now.toISOString(), sendAfter: at.toISOString() })) claimed += 1;
  }
  return claimed;
}

/** Due notices grouped into messages: one per notice, or one per recipient list for a daily digest. */
function messagesOf(due: { cause: string; notice: RenderedNotice }[], digest: boolean): { causes: string[]; notices: RenderedNotice[] }[] {
  if (!digest) return due.map((d) => ({ causes: [d.cause], notices: [d.notice] }));
  const groups = new Map<string, { causes: string[]; notices: RenderedNotice[] }>();
  for (const d of due) {
    const key = d.notice.audience === 'admin' ? `admin:${d.cause}` : [...d.notice.to].sort().join(',');
    const group = groups.get(key) ?? { causes: [], notices: [] };
    group.causes.push(d.cause);
    group.notices.push(d.notice);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export async function sendDue(store: StateStore, config: NotificationsConfig, sender: GraphSender, now: Date, logger: Logger): Promise<number> {
  if (!maySendNow(now, config)) return 0;
  const due = store.notices.due(now.toISOString()).map((n) => ({ cause: n.cause, notice: n.notice as RenderedNotice }));
  let sent = 0;
  for (const message of messagesOf(due, config.digest === 'daily')) {
    const html = messageHtml(message.notices, message.notices.length > 1 ? DIGEST_INTRO : undefined);
    const to = [...new Set(message.notices.flatMap((n) => n.to))];
    try {
      if (to.length > 0) await sender.sendMail(config.from, to, messageSubject(message.notices), html);
      if (config.teamsChannel) await sender.postToChannel(config.teamsChannel.teamId, config.teamsChannel.channelId, html);
      if (config.teamsChat) await sender.postToChat(config.teamsChat, html);
      store.notices.markSent(message.causes, now.toISOString());
      sent += 1;
    } catch (error) {
      const reason = describeGraphError(error);
      logger.warn({ causes: message.causes, reason }, 'a notification could not be sent through Microsoft Graph; it is tried again on a later run');
      for (const cause of message.causes) store.notices.markFailed(cause, reason, new Date(now.getTime() + RETRY_AFTER_FAILURE_MS).toISOString());
    }
  }
  return sent;
}

/** Builds the Graph sender for the config (the secret resolved now, never logged). */
export async function senderFor(config: NotificationsConfig): Promise<GraphSender> {
  // msal sends it to the token endpoint: over plain http only if it is a sandbox's (secret-transport.ts).
  const tokenEndpoint = entraTokenIssuer('notifications > graph', config.graph.authority, config.graph.authorityMetadata);
  return graphSender(config.graph, await resolveSecretFor(config.graph.clientSecret, 'notifications > graph > clientSecret', tokenEndpoint));
}

/**
 * The links the causes can be about: those that may need a person (waiting inbound, registration follow-up),
 * read filtered by the store, and those of the parked CRM records (whose sellers are told). Not every link:
 * at 50,000 deals that read cost half a second and 200 MB after every run.
 */
function noticeLinks(store: StateStore, parked: readonly ParkedRecord[]): Link[] {
  const links = new Map(store.attentionLinks().map((l) => [l.crmId, l]));
  // The parked records' links in one read (recordsFor), not one look-up per record.
  const missing = parked.map((p) => p.recordId).filter((id) => !links.has(id));
  for (const link of missing.length ? store.recordsFor(missing).links : []) if (link.state === 'active') links.set(link.crmId, link);
  return [...links.values()];
}

/**
 * The newest runs, back to the one before the current streak of failures when it is still kept: the
 * streak's first run keys the admins' notices, so it must stay the same however long the streak grows (a
 * fixed window of N + 1 runs moved the key on with every failed run, and every turn mailed the admins again).
 * Only a streak of more than N runs reads further, and never past the kept history.
 */
function runsOfStreak(store: StateStore, window: number): RunRecord[] {
  const recent = store.listRuns(window);
  if (recent.length < window || recent.some((run) => run.outcome !== 'failed')) return recent;
  return store.listRuns(RUNS_KEPT);
}

/** What the notifications step reads of the run just finished: a full run's report, or a targeted sync's. */
export type FinishedRun = Pick<RunReport, 'outcome' | 'runId' | 'errorCode' | 'message' | 'plan'>;

export async function notifyAfterRun(runtime: NotifyRuntime, report: FinishedRun, sender?: GraphSender): Promise<void> {
  const config = runtime.config.notifications;
  if (!config?.enabled || report.plan) return;
  const { store, logger } = runtime;
  try {
    const now = runtime.engineDeps().now();
    const parked = store.listParked({ side: 'crm' });
    const drafts = noticeDrafts({
      now,
      links: noticeLinks(store, parked),
      parked,
      runs: runsOfStreak(store, config.failedRunsInARow + 1),
      lastRun: { outcome: report.outcome, ...(report.runId !== undefined ? { runId: report.runId } : {}), ...(report.errorCode ? { errorCode: report.errorCode } : {}), ...(report.message ? { message: report.message } : {}) },
      expiringHours: config.expiringHours,
      failedRunsInARow: config.failedRunsInARow,
      responseField: responseFieldLabelOf(runtime.crm?.displayName),
      ...(runtime.crm?.fieldLabels ? { fieldLabels: runtime.crm.fieldLabels } : {}),
    });
    // Without a configured record URL, the CRM adapter's own (Dynamics 365 knows its environment's).
    const recordUrl = config.crmRecordUrl ?? runtime.crm?.recordUrlTemplate;
    const claimed = claimNotices(store, recordUrl ? { ...config, crmRecordUrl: recordUrl } : config, drafts, now, logger);
    const sent = await sendDue(store, config, sender ?? (await senderFor(config)), now, logger);
    if (claimed + sent > 0) logger.info({ claimed, sent }, 'notifications');
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'notifications were skipped after this run; the next run tries again');
  }
}
