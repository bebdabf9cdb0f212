import { DEFAULT_EXTENSION_TERMS } from '@workflows/agreement/types';
import { agreementInYear, type HistoryStep } from './agreement-in-year';

const step = (on: string, fromState: string, toState: string): HistoryStep => ({ on, fromState, toState });

/** Hoppfull framtid as the demo lives it: 2018–2019, renewed in 2019 and 2021, expired 2024-01-01. */
const HOPPFULL: HistoryStep[] = [
  step('2017-05-22', 'initiative', 'initiative'),
  step('2017-11-20', 'draft', 'signing'),
  step('2017-12-05', 'signing', 'signed'),
  step('2018-01-01', 'signed', 'active'),
  step('2019-03-31', 'active', 'extensionDecision.pending'),
  step('2019-05-21', 'extensionDecision.pending', 'renewed'),
  step('2020-01-01', 'renewed', 'active'),
  step('2021-03-31', 'active', 'extensionDecision.pending'),
  step('2021-05-25', 'extensionDecision.pending', 'renewed'),
  step('2022-01-01', 'renewed', 'active'),
  step('2024-01-01', 'active', 'expired'),
];

describe('agreementInYear', () => {
  const sut = (year: number, steps = HOPPFULL) => agreementInYear(year, steps, '2019-12-31', DEFAULT_EXTENSION_TERMS);

  it('gives the end date as it stood at the year end: only the renewals decided by then', () => {
    expect(sut(2019)).toMatchObject({ inForce: true, validUntil: '2021-12-31', extensionsLeft: 1 });
    expect(sut(2021)).toMatchObject({ inForce: true, validUntil: '2023-12-31', extensionsLeft: 0 });
  });

  it('counts a year the agreement was only signed in, and not the year it expired at midnight on 1 January', () => {
    expect(sut(2017).inForce).toBe(true);
    expect(sut(2016).inForce).toBe(false);
    expect(sut(2023).inForce).toBe(true);
    expect(sut(2024).inForce).toBe(false);
  });

  it('ends a terminated agreement on the day it was terminated', () => {
    const terminated = [...HOPPFULL.slice(0, 7), step('2020-09-15', 'active', 'terminated.awaitingSettlement'), step('2020-11-02', 'terminated.awaitingSettlement', 'terminated.settled')];
    expect(sut(2020, terminated)).toMatchObject({ inForce: true, validUntil: '2020-09-15', terminatedOn: '2020-09-15' });
    expect(sut(2021, terminated).inForce).toBe(false);
  });
});
