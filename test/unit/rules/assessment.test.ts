/** Solution assessment deals (seed "Add solution(s)" and the sales-stage note). */
import { checkChange, checkCreate, type RuleContext } from '../../../core/rules/index.js';
import type { SalesStage } from '../../../core/model/index.js';
import { assertClean, assertRaised, ruleTitle } from '../../helpers/rules.js';
import { assessmentDeal, at, DAY_MS } from '../../helpers/referrals.js';

const us: RuleContext = { actor: 'us', now: at(10 * DAY_MS) };

describe(ruleTitle('assessment.single_solution'), () => {
  it('refuses a second solution beside the assessment', () => {
    const deal = assessmentDeal();
    deal.solutions.push({ id: 'SOL-1234-PQRS', kind: 'own' });
    assertRaised(checkCreate(deal, us), 'assessment.single_solution', 'solutions');
  });
  it('refuses two assessments', () => {
    const deal = assessmentDeal();
    deal.solutions.push({ id: 'SOL-ASSESS-2', kind: 'assessment', assessmentLocation: 'US' });
    assertRaised(checkCreate(deal, us), 'assessment.single_solution', 'solutions');
  });
  it('allows exactly one assessment', () => assertClean(checkCreate(assessmentDeal(), us)));
});

describe(ruleTitle('assessment.location_required'), () => {
  it("refuses an assessment without the assessment's location", () => {
    assertRaised(checkCreate(assessmentDeal({ solutions: [{ id: 'SOL-ASSESS-AZMIG', kind: 'assessment' }] }), us), 'assessment.location_required', 'solutions[0].assessmentLocation');
  });
  it('allows an assessment with its location', () => assertClean(checkCreate(assessmentDeal(), us)));
});

describe(ruleTitle('assessment.stages_in_order'), () => {
  const stage = (salesStage: SalesStage) => assessmentDeal({ salesStage });
  it('allows marking the stages one by one and then Won', () => {
    const path: SalesStage[] = ['Created', 'Qualified', 'Developed', 'Proposed', 'Negotiated'];
    for (let i = 1; i < path.length; i += 1) assertClean(checkChange(stage(path[i - 1]!), stage(path[i]!), us));
    assertClean(checkChange(stage('Negotiated'), assessmentDeal({ status: 'Closed', substatus: 'Won', salesStage: 'Won' }), us));
  });
  it('refuses skipping from Qualified to Proposed', () => {
    assertRaised(checkChange(stage('Qualified'), stage('Proposed'), us), 'assessment.stages_in_order', 'salesStage');
  });
  it('refuses Won before Negotiated was marked', () => {
    assertRaised(checkChange(stage('Proposed'), assessmentDeal({ status: 'Closed', substatus: 'Won', salesStage: 'Won' }), us), 'assessment.stages_in_order', 'salesStage');
  });
});

describe(ruleTitle('assessment.vetted_partners_only'), () => {
  it('refuses an assessment deal from an organisation that is not vetted', () => {
    assertRaised(checkCreate(assessmentDeal(), { ...us, assessmentsAllowed: false }), 'assessment.vetted_partners_only', 'solutions');
  });
  it('allows it from a vetted organisation, and stays silent when nobody knows', () => {
    assertClean(checkCreate(assessmentDeal(), { ...us, assessmentsAllowed: true }));
    assertClean(checkCreate(assessmentDeal(), us));
  });
  it('never concerns an ordinary deal', () => assertClean(checkCreate(assessmentDeal({ dealType: 'partner-led', solutions: [{ id: 'SOL-Microsoft365', kind: 'microsoft' }] }), { ...us, assessmentsAllowed: false })));
});
