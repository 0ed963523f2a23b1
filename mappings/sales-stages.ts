/**
 * Partner Center's standard sales stages, as data.
 *
 * Source: seed "Manage co-sell opportunities", table "sales stages and the corresponding percentages":
 * Created 10, Accepted 10, Qualified 20, Developed 40, Proposed 60, Negotiated 80, Won 100. The CSV
 * "Sales Stage" column takes the percentage (bulk CSV seed, sample `40`).
 *
 * `api` is the V3 contract's `salesStage` value (partner-center-api.md §1.7, §1.8: Qualify, Develop,
 * Propose, Close). The documents do not say how those four map to the UI's stages (§5 item 5). Our
 * reading: they are the four middle stages, in order: Qualify = Qualified 20, Develop = Developed 40,
 * Propose = Proposed 60, Close = Negotiated 80. Created, Accepted and Won have no `salesStage` value:
 * the API expresses them through status and substatus (New/Active Accepted, Closed Won).
 */
export const SALES_STAGE_TABLE = [
  { name: 'Created', percent: 10, api: null, order: 0, definition: 'Creating an outbound deal.' },
  { name: 'Accepted', percent: 10, api: null, order: 0, definition: 'Accepting an inbound deal.' },
  { name: 'Qualified', percent: 20, api: 'Qualify', order: 1, definition: 'Qualifying the value of the deal and the customer requirements.' },
  { name: 'Developed', percent: 40, api: 'Develop', order: 2, definition: 'Developing the deal to understand the detailed requirements.' },
  { name: 'Proposed', percent: 60, api: 'Propose', order: 3, definition: 'Making a formal proposal to the customer.' },
  { name: 'Negotiated', percent: 80, api: 'Close', order: 4, definition: 'Negotiating the final terms.' },
  { name: 'Won', percent: 100, api: null, order: 5, definition: 'Marking the deal as won.' },
] as const;
