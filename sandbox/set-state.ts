/**
 * What a persisted sandbox set (`cosell sandbox --persist DIR`) remembers about itself besides each
 * sandbox's data: the port each one listened on, and the Salesforce connected app's credentials, so
 * that a config written before a restart (URLs, client id, key file) still works after it; and how far the
 * shared clock was moved, so that it does not go back.
 */
import { join } from 'node:path';
import { readJsonFile, writeJsonAtomic } from './common/json-file.js';

export const SANDBOX_NAMES = ['entra', 'partnerCenter', 'salesforce', 'dataverse', 'graph'] as const;
export type SandboxName = (typeof SANDBOX_NAMES)[number];

export const SANDBOX_LABELS: Record<SandboxName, string> = { entra: 'Entra ID', partnerCenter: 'Partner Center', salesforce: 'Salesforce', dataverse: 'Dataverse', graph: 'Microsoft Graph' };

export interface SalesforceAppCredentials {
  clientId: string;
  clientSecret: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface SandboxSetState {
  version: 1;
  ports: Partial<Record<SandboxName, number>>;
  salesforce?: SalesforceAppCredentials;
  /**
   * How far the shared clock was moved ahead of real time. Kept so that a restart does not turn the clock
   * back: the data's timestamps (a referral's `updatedDateTime`, a row's `modifiedon`) would then lie in the
   * future, and changes made after the restart would sort before ones a connector has already read.
   */
  clockOffsetMs?: number;
}

/** A port that moved because the remembered one was taken. */
export interface PortMove {
  sandbox: SandboxName;
  from: number;
  to: number;
}

const stateFile = (dir: string) => join(dir, 'sandbox-set.json');

export function loadSetState(dir: string): SandboxSetState {
  const file = stateFile(dir);
  const parsed = readJsonFile(file) as SandboxSetState | undefined;
  if (parsed === undefined) return { version: 1, ports: {} };
  if (parsed?.version !== 1 || typeof parsed.ports !== 'object' || parsed.ports === null) {
    throw new Error(`${file} is not a sandbox set state file (version 1); delete it to start on new ports.`);
  }
  return parsed;
}

/** Owner-only: it holds the Salesforce sandbox app's private key. */
export function saveSetState(dir: string, state: SandboxSetState): void {
  writeJsonAtomic(stateFile(dir), state, 0o600);
}

const isPortTaken = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE';

/**
 * Starts a sandbox on its remembered port; if another process holds that port, on any free one, and
 * records the move so the caller can say so.
 */
export async function startOnRememberedPort<T>(
  sandbox: SandboxName,
  remembered: number | undefined,
  start: (port: number) => Promise<T>,
  moves: PortMove[],
  portOf: (started: T) => number,
): Promise<T> {
  if (!remembered) return start(0);
  try {
    return await start(remembered);
  } catch (error) {
    if (!isPortTaken(error)) throw error;
    const started = await start(0);
    moves.push({ sandbox, from: remembered, to: portOf(started) });
    return started;
  }
}

/** The sentence that says a port moved and what it means for a config written before. */
export function describeMove(move: PortMove): string {
  return `${SANDBOX_LABELS[move.sandbox]} sandbox: port ${move.from} is taken by another program, so it listens on ${move.to} now; a config written before points at the old port (run with --write-config FILE to update its sandbox URLs).`;
}
