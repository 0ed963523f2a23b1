/**
 * The versions of rows as the sandbox answers a listing page (bench/sf-read-assemble.ts captured them): a
 * linked opportunity with the kept long text fields, an unlinked one as read in full and as listed (without
 * them), a clone holding copied write-backs, and each kind of related row. Versions are stored (the
 * related-row index, the engine's etag in links) and compared with those later runs compute, so these are
 * pinned, as are the deals built from the rows: a change that makes the read path cheaper must give the same.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dealsOfRows } from '../../connectors/salesforce/deals-of-rows.js';
import { opportunityVersion, opportunityVersionMemo } from '../../connectors/salesforce/long-text-apart.js';
import { RelatedVersions } from '../../connectors/salesforce/related-versions.js';
import { relatedRowVersion, rowVersion } from '../../connectors/salesforce/row-version.js';
import type { SfRecord } from '../../connectors/salesforce/assemble.js';
import type { RelatedRow, RelatedRowIndex } from '../../core/engine/crm-port.js';
import { effectiveFieldTable } from '../../mappings/fields.salesforce.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
type Rows = Record<'linked' | 'unlinked' | 'contactRole' | 'team' | 'solution' | 'invitation', SfRecord>;
/** Fresh objects each time: the versions are remembered per row object (row-version.ts `rowVersionMemo`). */
const samples = (): Rows => JSON.parse(readFileSync(fixture('salesforce-page-rows.json'), 'utf8')) as Rows;

/** The unlinked row as the listing has it (the kept long text fields are read apart, long-text-apart.ts), and a clone of a linked deal. */
function variants(s: Rows): { listedUnlinked: SfRecord; clone: SfRecord } {
  const { Cosell_Invitations__c: _invitations, Cosell_Outside_Team__c: _team, ...listedUnlinked } = s.unlinked;
  const clone = { ...listedUnlinked, Id: '0065g00000000ZZAAA', Cosell_Direction__c: 'Outbound', Cosell_Referral_Status__c: 'Active/Accepted', Cosell_Microsoft_Status__c: 'Active', Cosell_Outside_Team__c: s.linked.Cosell_Outside_Team__c };
  return { listedUnlinked, clone };
}

const related = (s: Rows) => ({ contactRoles: [s.contactRole], team: [s.team], solutions: [s.solution], invitations: [s.invitation] });

describe('Salesforce row versions of a page as the sandbox answers it (pinned)', () => {
  it('opportunity rows: with and without the fields read apart, as listed, and a clone', () => {
    const s = samples();
    const { listedUnlinked, clone } = variants(s);
    assert.equal(opportunityVersion(s.linked), 'cgmXsnpK7fWWc75bo03gQt');
    assert.equal(rowVersion(s.linked), 'qcLFvx367FmgMTqCRkWlOu');
    assert.equal(opportunityVersion(s.unlinked), 'eqUqRJeWvMdMOiPVDfLPfF');
    assert.equal(opportunityVersion(listedUnlinked), 'eqUqRJeWvMdMOiPVDfLPfF');
    assert.equal(opportunityVersion(clone), 'H5u3-9CtwevtRcmNmUryZ_');
    const memo = opportunityVersionMemo();
    assert.deepEqual([s.linked, s.unlinked, clone].map(memo), ['cgmXsnpK7fWWc75bo03gQt', 'eqUqRJeWvMdMOiPVDfLPfF', 'H5u3-9CtwevtRcmNmUryZ_']);
  });

  it('related rows and the account', () => {
    const s = samples();
    assert.equal(relatedRowVersion(s.contactRole), 'pWaXrXMxpcQo66RK4ldLD8');
    assert.equal(relatedRowVersion(s.team), 'Rw7xRllEAocqoFxrr63ZG7');
    assert.equal(relatedRowVersion(s.solution), '11M12aQV6MRc7Rcif4lVms');
    assert.equal(relatedRowVersion(s.invitation), 'wC8KHYle0cENo2iYQjkPXQ');
    assert.equal(relatedRowVersion({ Account: s.linked.Account }), '7dGI60AETccfg0oHcnmasw');
  });

  it('the related-row index is told each row, its parent and version', async () => {
    const s = samples();
    const remembered: RelatedRow[] = [];
    const index = { rememberRelatedRows: async (rows: readonly RelatedRow[]) => void remembered.push(...rows), settleRelatedVersions: async () => 0 } as unknown as RelatedRowIndex;
    const versions = new RelatedVersions(index);
    await versions.begin(undefined);
    await versions.read([s.linked], related(s));
    assert.deepEqual(remembered.map((r) => [r.rowId, r.parentId, r.version]), [
      ['00K5g0000000001EAA', '0065g0000000001AAA', 'pWaXrXMxpcQo66RK4ldLD8'],
      ['00q5g0000000001AAA', '0065g0000000001AAA', 'Rw7xRllEAocqoFxrr63ZG7'],
      ['a0A5g0000000001EAA', '0065g0000000001AAA', '11M12aQV6MRc7Rcif4lVms'],
      ['a0B5g0000000001EAA', '0065g0000000001AAA', 'wC8KHYle0cENo2iYQjkPXQ'],
      ['0065g0000000001AAA.account', '0065g0000000001AAA', '7dGI60AETccfg0oHcnmasw'],
    ]);
  });

  it('the deals built from them, etags included (a clone is versioned without its copied write-backs)', () => {
    for (const versionOf of [opportunityVersion, opportunityVersionMemo()]) {
      const s = samples();
      const { listedUnlinked, clone } = variants(s);
      const notes = { lastStage: new Map<string, string>(), copies: new Map<string, string[]>() };
      const deals = dealsOfRows([s.linked, listedUnlinked, clone], related(s), { rows: effectiveFieldTable(), stageMap: new Map(), optInRules: { requireSolution: false } }, versionOf, notes);
      assert.deepEqual(deals.map((d) => d.etag), ['cgmXsnpK7fWWc75bo03gQt', 'eqUqRJeWvMdMOiPVDfLPfF', 'JIn8Z7b4NFnlOmBm6UjSIn']);
      assert.deepEqual(JSON.parse(JSON.stringify(deals)), JSON.parse(readFileSync(fixture('salesforce-page-deals.json'), 'utf8')));
      // Kept fields a listing did not read count as copied on a record without a referral ID (assemble.ts `copiedWriteBacks`).
      assert.deepEqual([...notes.copies], [['0065g00000000WGAAY', ['Cosell_Outside_Team__c', 'Cosell_Invitations__c']], ['0065g00000000ZZAAA', ['Cosell_Direction__c', 'Cosell_Referral_Status__c', 'Cosell_Outside_Team__c', 'Cosell_Invitations__c', 'Cosell_Microsoft_Status__c']]]);
    }
  });
});
