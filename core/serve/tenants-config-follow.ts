/**
 * `cosell serve --database` follows its config file by the rules of a single install's serve
 * (config-follow.ts, over the shared `takeConfigEdit`). It read the file once: an admin who edited the
 * webhook checks saw nothing change, and nothing said why, until a restart.
 *
 * Of the file, this service uses the `serve` section only (each tenant's own settings are in the database,
 * and the workers follow them). An edit of `serve > webhooks` (the certificate hosts, the age bound) judges
 * the next delivery; where it listens, which proxies it trusts and its public URL are fixed when it starts,
 * and the report names them as needing a restart instead of ignoring them. An edit that does not load is
 * reported once, and the service goes on with the settings it had.
 */
import type { ServeSettings } from '../../config/serve.js';
import { changedKeys, type ConfigFileWatch, takeConfigEdit } from '../cli/config-reload.js';
import type { StateStore } from '../store/index.js';
import { guardsAfterEdit, listenBound, settingsAfterEdit, type ConfigEditReport, type ServeFlags } from './config-follow.js';
import type { TenantIntake } from './tenant-webhooks.js';

/** What an edit replaces in the intake: the routes read these at each delivery. */
export type EditableGuards = Pick<TenantIntake, 'certificates' | 'replay'> & { settings: ServeSettings };

/** The part of the config file this service reads. */
export interface ServeSection {
  serve: ServeSettings;
}

export class TenantsConfigFollower {
  private readonly started: ReturnType<typeof listenBound>;
  private checking: Promise<void> | undefined;

  /**
   * `taken`: the file's `serve` section as the service started with it (`watch` was taken before it was read).
   * `replayStore`: where the events taken are kept, read again by a guard built for an edited age bound.
   */
  constructor(
    private readonly intake: EditableGuards,
    private taken: ServeSection,
    private readonly replayStore: StateStore,
    private readonly watch: ConfigFileWatch,
    private readonly flags: ServeFlags,
    private readonly open: () => Promise<ServeSection>,
    private readonly report: ConfigEditReport,
  ) {
    this.started = listenBound(intake.settings);
  }

  /** Takes an edit, if any (one at a time: the timer may ask again while a file is being read). */
  check(): Promise<void> {
    return (this.checking ??= this.takeEdit().finally(() => (this.checking = undefined)));
  }

  private async takeEdit(): Promise<void> {
    const edit = await takeConfigEdit(this.watch, { config: this.taken }, async () => ({ config: await this.open() }));
    if (edit.kind === 'unchanged') return;
    if (edit.kind === 'refused') return this.report.refused(edit.error);
    const next = edit.next.config;
    let needRestart: string[];
    try {
      const settings = settingsAfterEdit(this.intake.settings, next, this.flags);
      needRestart = changedKeys(this.started, listenBound({ ...next.serve, ...this.flags }));
      Object.assign(this.intake, { settings }, guardsAfterEdit(this.intake.settings, settings, this.replayStore));
      this.taken = next;
    } catch (error) {
      return this.report.refused(error);
    }
    this.report.taken(edit.keys, needRestart);
  }
}
