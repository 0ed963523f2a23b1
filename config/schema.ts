/**
 * The config file's schema (zod). The CRM section is built from the connector registry, so adding a CRM
 * adds its options here without an edit. Secrets are never values in the file, only references
 * (`env:NAME`, `file:/path`) resolved when a connection is made.
 */
import { z } from 'zod';
import { partnerCenterClientOptionsSchema } from '../connectors/partner-center/config.js';
import { CRM_CONNECTORS } from '../connectors/registry.js';
import { dashboardSchema } from '../core/dashboard/config.js';
import { notificationsSchema } from '../core/notify/config.js';
import { DEFAULT_SERVE_SETTINGS, serveSchema } from './serve.js';

/** Fits Docker's 10 s between its SIGTERM and its SIGKILL (Kubernetes gives 30 s, systemd 90 s). */
export const DEFAULT_STOP_GRACE_SECONDS = 8;

export const CONFLICT_POLICIES = ['newest-wins', 'crm-wins', 'partner-center-wins', 'manual'] as const;

const crmVariants = CRM_CONNECTORS.map((c) => z.object({ kind: z.literal(c.kind), [c.kind]: c.optionsSchema }).strict());

/** `{ kind: 'salesforce', salesforce: {…} }` or `{ kind: 'dynamics', dynamics: {…} }`: one variant per registered CRM. */
export type CrmSection = { kind: string } & Record<string, unknown>;
export const crmSchema = z.discriminatedUnion('kind', crmVariants as unknown as [z.ZodObject, ...z.ZodObject[]]) as unknown as z.ZodType<CrmSection, CrmSection>;

export const syncSchema = z
  .object({
    /** How conflicting edits are settled after terminal states and field ownership (see docs/sync.md). */
    conflictPolicy: z.enum(CONFLICT_POLICIES).default('newest-wins'),
    /** Hold a Won on a registrable deal until this many hours after creation; 0 sends it at once. */
    holdWonHours: z.number().min(0).max(24 * 30).default(72),
    /** `cosell run`: minutes between runs. */
    intervalMinutes: z.number().min(0.05).max(24 * 60).default(5),
    /**
     * `sync`, `run`, `serve`: how long a stop (SIGTERM, Ctrl-C) may wait for the current page before the page
     * is left uncommitted and the process ends, lock released. Docker kills 10 s after its SIGTERM: a stop
     * that waited for a hung call was killed with the lock still held.
     */
    stopGraceSeconds: z.number().min(1).max(3600).default(DEFAULT_STOP_GRACE_SECONDS),
    /**
     * The MPN location scope new outbound deals are created in when the CRM record does not name one
     * (Location is mandatory and cannot change after creation: seed "Deal details").
     */
    defaultLocation: z.string().min(1).optional(),
    /**
     * A default location per CRM record owner (CRM user ID or email → location ID), for owners whose
     * deals belong to another location; used when the record's own location field is empty.
     */
    locationByOwner: z.record(z.string().min(1), z.string().min(1)).optional(),
    /** A default location per Dynamics business unit (the record owner's, by ID or name), after the owner's own. */
    locationByBusinessUnit: z.record(z.string().min(1), z.string().min(1)).optional(),
    /**
     * Referrals Partner Center classifies as leads (inbound, qualification other than SalesQualified) become
     * the CRM's Lead record instead of an opportunity; converting the lead moves the referral to the new
     * opportunity. Off by default: every referral becomes an opportunity.
     */
    leadsAsCrmLeads: z.boolean().optional(),
    /** Partner Center requests one run may make before it stops and resumes next time. */
    partnerCenterCallBudget: z.number().int().min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    crm: crmSchema,
    partnerCenter: partnerCenterClientOptionsSchema,
    sync: syncSchema.default({ conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, stopGraceSeconds: DEFAULT_STOP_GRACE_SECONDS }),
    /** `cosell serve`: the long-running service (webhooks, backstop poll, health, metrics). */
    serve: serveSchema.default(DEFAULT_SERVE_SETTINGS),
    store: z.object({ path: z.string().min(1).default('.state/cosell.sqlite') }).strict().default({ path: '.state/cosell.sqlite' }),
    /**
     * Read for configs written before 2026-12-06, and allows nothing: a host other than Microsoft's and
     * Salesforce's is allowed by the operator's environment (COSELL_ALLOW_ENDPOINTS, endpoint-consent.ts),
     * since whoever edits this file was never given the secrets. A refusal names this key when it is true.
     */
    allowCustomEndpoints: z.boolean().default(false),
    /** The status dashboard of `cosell serve` (core/dashboard/): who may sign in to act on it. */
    dashboard: dashboardSchema.optional(),
    /** Notifications through Microsoft Graph after each run (core/notify/). */
    notifications: notificationsSchema.optional(),
    // Warnings and errors only by default: a person at a terminal reads the command's own output, and an
    // unattended run should log what needs attention. `--verbose` (info) and `--debug` (debug) override it.
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
        /** Append log lines (JSON) to this file instead of standard error. */
        file: z.string().min(1).optional(),
      })
      .strict()
      .default({ level: 'warn' }),
  })
  .strict();

export type CosellConfig = z.infer<typeof configSchema>;
export type CosellConfigInput = z.input<typeof configSchema>;
