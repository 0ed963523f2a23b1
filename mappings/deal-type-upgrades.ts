/**
 * How a deal's type may change after creation, as data.
 *
 * Source: seed "Manage co-sell opportunities", table "Combinations", and the sentences
 * "You can always upgrade a private deal into a partner-led or active co-sell deal before the deal
 * reaches a terminal state" and (partner-center-api.md §1.9) "the visibility flag can't be reverted once
 * visible":
 *   Private → Co-sell (Microsoft invited), Partner-led (sellers given visibility), P2P (partners invited)
 *   Partner-led → Co-sell (Microsoft invited), P2P (partners invited)
 *   P2P without Microsoft → Co-sell (Microsoft invited)
 *   Co-sell → Co-sell (other partners may join; it stays co-sell)
 * Nothing goes back, and a solution assessment deal stays one.
 */
import type { DealType } from '../core/model/enums.js';

export const DEAL_TYPE_UPGRADES: Readonly<Record<DealType, readonly DealType[]>> = {
  private: ['partner-led', 'co-sell', 'partner-to-partner'],
  'partner-led': ['co-sell', 'partner-to-partner'],
  'partner-to-partner': ['co-sell'],
  'co-sell': [],
  'solution-assessment': [],
};
