/**
 * The opportunity system views (savedquery) `cosell setup dynamics` creates (issue 19 item 7: the views
 * partners asked for in Microsoft's connector), as data. Each is a FetchXML query and a grid layout
 * (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/savedquery;
 * querytype 0 = main application view). `{prefix}` is the publisher prefix, as in fields.dynamics.ts; the
 * condition values are the ones the connector writes onto the record.
 */
export interface DynamicsView {
  name: string;
  description: string;
  /** Column logical names shown, in order (the first is the record's name). */
  columns: string[];
  /** `eq` conditions joined by `and`: column → value. */
  conditions: { column: string; value: string }[];
  /** Sort column. */
  orderBy: string;
}

export const DYNAMICS_VIEWS: readonly DynamicsView[] = [
  {
    name: 'Co-sell: inbound awaiting our answer',
    description: 'Referrals from Microsoft or partners still waiting for our accept or decline (14 days, then Partner Center expires them).',
    columns: ['name', 'estimatedvalue', 'estimatedclosedate', '{prefix}answerby', '{prefix}dealtype'],
    conditions: [{ column: '{prefix}direction', value: 'inbound' }, { column: '{prefix}referralstatus', value: 'New' }],
    orderBy: '{prefix}answerby',
  },
  {
    name: 'Co-sell: outbound by status',
    description: 'Our deals in Partner Center, sorted by their Partner Center status.',
    columns: ['name', '{prefix}referralstatus', '{prefix}referralsubstatus', '{prefix}dealtype', '{prefix}microsoftstatus', 'estimatedvalue', '{prefix}syncstate'],
    conditions: [{ column: '{prefix}direction', value: 'outbound' }],
    orderBy: '{prefix}referralstatus',
  },
  {
    name: 'Co-sell: favorites',
    description: 'Deals marked as favorites in Partner Center.',
    columns: ['name', '{prefix}direction', '{prefix}referralstatus', 'estimatedvalue', 'estimatedclosedate'],
    conditions: [{ column: '{prefix}favorite', value: '1' }],
    orderBy: 'name',
  },
  {
    name: 'Co-sell: parked with errors',
    description: 'Deals the connector could not sync: the sync message says why and what to fix.',
    columns: ['name', '{prefix}syncmessage', '{prefix}lastsyncedon', '{prefix}direction'],
    conditions: [{ column: '{prefix}syncstate', value: 'error' }],
    orderBy: '{prefix}lastsyncedon',
  },
  {
    name: 'Co-sell: closed, CRM edits not sent',
    description: 'Deals Partner Center closed (won, lost, declined, expired) that were edited here since: Partner Center takes no changes after a final state, so the two disagree. The sync message names the fields.',
    columns: ['name', '{prefix}syncmessage', '{prefix}referralstatus', 'estimatedvalue', 'estimatedclosedate', '{prefix}lastsyncedon'],
    conditions: [{ column: '{prefix}syncstate', value: 'closed' }],
    orderBy: '{prefix}lastsyncedon',
  },
];

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The view's FetchXML and layout XML for a publisher prefix (opportunity's object type code is 3). */
export function savedQueryXml(view: DynamicsView, prefix: string): { fetchxml: string; layoutxml: string } {
  const col = (c: string) => escapeXml(c.replace('{prefix}', prefix));
  const attributes = ['opportunityid', ...view.columns].map((c) => `<attribute name="${col(c)}"/>`).join('');
  const conditions = view.conditions.map((c) => `<condition attribute="${col(c.column)}" operator="eq" value="${escapeXml(c.value)}"/>`).join('');
  return {
    fetchxml: `<fetch version="1.0" mapping="logical"><entity name="opportunity">${attributes}<order attribute="${col(view.orderBy)}" descending="false"/><filter type="and">${conditions}</filter></entity></fetch>`,
    layoutxml: `<grid name="resultset" object="3" jump="name" select="1" icon="1" preview="1"><row name="result" id="opportunityid">${view.columns.map((c) => `<cell name="${col(c)}" width="150"/>`).join('')}</row></grid>`,
  };
}
