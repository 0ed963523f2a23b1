/**
 * The referral versions a change feed has delivered inside its overlap window, keyed by referral id (the
 * newest version per id). Looking a referral up costs the same whatever the window holds: after a bulk
 * change the window can hold every referral of the org (50,000 created in two minutes), and a list
 * scanned per referral made the read-back of such a bulk quadratic (issue 13).
 */
export interface DeliveredVersion {
  id: string;
  updatedDateTime: string;
  eTag?: string;
}

/** The service's timestamps are UTC; one written without a zone must not be read as local time. Pure. */
export function instantMs(iso: string): number {
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso.trim()) ? iso : `${iso.trim()}Z`);
}

const sameVersion = (a: DeliveredVersion, b: DeliveredVersion) => a.id === b.id && a.updatedDateTime === b.updatedDateTime && (a.eTag ?? '') === (b.eTag ?? '');

export class DeliveredVersions {
  private readonly byId = new Map<string, { version: DeliveredVersion; atMs: number }>();

  constructor(versions: readonly DeliveredVersion[] = []) {
    this.add(versions);
  }

  /** Whether exactly this version (id, timestamp and eTag) was delivered. */
  has(version: DeliveredVersion): boolean {
    const held = this.byId.get(version.id)?.version;
    return held !== undefined && sameVersion(held, version);
  }

  /** Remembers each version unless a newer one of the same referral is held. */
  add(versions: readonly DeliveredVersion[]): void {
    for (const version of versions) {
      const atMs = instantMs(version.updatedDateTime);
      const held = this.byId.get(version.id);
      if (!held || atMs >= held.atMs) this.byId.set(version.id, { version, atMs });
    }
  }

  /** The versions stamped at or after `floorMs` (what a window starting there can re-read), oldest id first. */
  since(floorMs: number): DeliveredVersion[] {
    const out: DeliveredVersion[] = [];
    for (const { version, atMs } of this.byId.values()) if (atMs >= floorMs) out.push(version);
    return out;
  }
}
