/**
 * Gathers a CRM's `check` items one at a time. An item whose calls fail (the CRM unreachable, its sign-in
 * refused) shows as FAIL with the failure's message instead of ending the command, so `cosell check`
 * still prints its table and ends with exit 5, as the README says. The failure is told as every failure is
 * (failureText): a library's error may quote the request's Authorization header or carry terminal controls.
 */
import type { CheckItem } from '../core/engine/crm-port.js';
import { failureText } from '../core/errors.js';

export interface CheckItems {
  readonly items: CheckItem[];
  /** Runs one check and adds its items; if it throws, adds a FAIL item called `name` instead and answers false. */
  attempt(name: string, run: () => Promise<CheckItem | CheckItem[]>): Promise<boolean>;
}

export function gatherCheckItems(): CheckItems {
  const items: CheckItem[] = [];
  return {
    items,
    async attempt(name, run) {
      try {
        items.push(...[await run()].flat());
        return true;
      } catch (error) {
        items.push({ name, ok: false, detail: failureText(error) });
        return false;
      }
    },
  };
}
