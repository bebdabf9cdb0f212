import { agreementDefinition } from '@workflows/agreement/definition';
import { FINAL_STATE_CODES } from '@workflows/agreement/persistence';
import { fundingDecisionDefinition } from '@workflows/funding-decision/definition';
import { finalStateCodes } from './stored-cases';

describe('finalStateCodes', () => {
  it('finds the machine’s final states in the kind’s own codes, nested ones too', () => {
    expect([...finalStateCodes(agreementDefinition)].sort()).toEqual([...FINAL_STATE_CODES].sort());
    // A closed funding decision may still have its decision sent: only withdrawal is final.
    expect(finalStateCodes(fundingDecisionDefinition)).toEqual(['withdrawn']);
  });
});
