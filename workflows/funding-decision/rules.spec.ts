import type { CaseRequester } from '../kernel/kernel';
import { fundingDecisionDefinition } from './definition';
import {
  FUNDING_CAPACITIES,
  FUNDING_COMMAND_RULES,
  FUNDING_COMMAND_TYPES,
  NOT_VISIBLE,
  fundingPermission,
  maySeeFundingDecision,
  ruledOf,
  whoMayFund,
  type FundingCapacity,
} from './rules';
import { ALL_EVENT_TYPES, TIMER_EVENT_TYPES } from './types';
import { SEED_004_IDS as IDS, seed004Input } from './__fixtures__/seed-004';

const ruled = ruledOf(seed004Input());
const KOMMUN = '212000-0449';

const person = (roles: string[], organisationId: string | null, personId: string | null = null, organisationKind: string | null = 'municipality'): CaseRequester => ({ personId, roles, organisationId, organisationKind });

/** One person per capacity, and the people who hold none. */
const holders: Record<FundingCapacity, CaseRequester> = {
  secretariat: person(['secretariat'], KOMMUN, 'person-kansli'),
  responsible_official: person([], KOMMUN, IDS.anneHallberg),
};
const nobodies: Record<string, CaseRequester> = {
  administrator: person(['administrator'], KOMMUN, 'person-admin'),
  auditor: person(['auditor'], KOMMUN, 'person-revisor'),
  'partner member': person(['member'], IDS.partner, 'person-leanlink', 'civil_society'),
  'partner signatory': person(['signatory'], IDS.partner, 'person-leanlink-firma', 'civil_society'),
  'unnamed official': person(['member'], KOMMUN, 'person-annan-handlaggare'),
};

describe('the funding decision\'s rules table', () => {
  it('is built from the case: the partner and the officials with an account', () => {
    expect(ruled).toEqual({ partnerId: IDS.partner, officialIds: [IDS.anneHallberg, IDS.helenaPaulsson] });
    const withoutAccount = seed004Input();
    withoutAccount.proposal.officials[1].personId = null;
    expect(ruledOf(withoutAccount).officialIds).toEqual([IDS.anneHallberg]);
  });

  it('names every person event and PREPARE, and no clock event', () => {
    const personEvents = ALL_EVENT_TYPES.filter((t) => !(TIMER_EVENT_TYPES as readonly string[]).includes(t));
    expect([...FUNDING_COMMAND_TYPES].sort()).toEqual([...personEvents, 'PREPARE'].sort());
    expect(fundingDecisionDefinition.rules.commands).toBe(FUNDING_COMMAND_RULES);
  });

  describe.each(FUNDING_COMMAND_TYPES)('%s', (type) => {
    it.each(FUNDING_CAPACITIES)('in the capacity %s', (capacity) => {
      const sut = fundingPermission(holders[capacity], { type }, ruled);
      if (FUNDING_COMMAND_RULES[type].includes(capacity)) expect(sut).toMatchObject({ allowed: true, capacity });
      else expect(sut).toEqual({ allowed: false, visible: true, reason: `Bara ${whoMayFund(type)} får göra detta.` });
    });

    it.each(Object.keys(nobodies))('not as %s', (who) => {
      expect(fundingPermission(nobodies[who], { type }, ruled).allowed).toBe(false);
    });
  });

  it('records the secretariat as the secretariat, and an official under the role they hold', () => {
    expect(fundingPermission(holders.secretariat, { type: 'DECIDE' }, ruled)).toEqual({ allowed: true, role: 'secretariat', capacity: 'secretariat' });
    expect(fundingPermission(person(['member'], KOMMUN, IDS.helenaPaulsson), { type: 'RECORD_FOLLOW_UP' }, ruled)).toEqual({ allowed: true, role: 'member', capacity: 'responsible_official' });
    expect(fundingPermission(holders.responsible_official, { type: 'UPDATE_PROPOSAL' }, ruled)).toMatchObject({ allowed: true, role: 'member' });
  });

  it('shows the case to all-seeing roles, its officials and the partner\'s people, and hides it from others', () => {
    for (const who of [holders.secretariat, holders.responsible_official, nobodies.administrator, nobodies.auditor, nobodies['partner member'], nobodies['partner signatory']]) {
      expect(maySeeFundingDecision(who, ruled)).toBe(true);
    }
    const outsider = person(['member', 'signatory'], 'roda-korset-linkoping', 'person-roda-korset', 'civil_society');
    expect(maySeeFundingDecision(outsider, ruled)).toBe(false);
    expect(maySeeFundingDecision(nobodies['unnamed official'], ruled)).toBe(false);
    expect(maySeeFundingDecision(person([], IDS.partner, 'person-x', 'civil_society'), ruled)).toBe(false);
    expect(fundingPermission(outsider, { type: 'RECORD_FOLLOW_UP' }, ruled)).toEqual({ allowed: false, visible: false, reason: NOT_VISIBLE });
    // A new case is nobody's yet: PREPARE is refused for its capacity, not hidden.
    expect(fundingPermission(outsider, { type: 'PREPARE' }, ruled)).toMatchObject({ allowed: false, visible: true });
  });

  it('refuses an unknown command in Swedish', () => {
    expect(fundingPermission(holders.secretariat, { type: 'PERIOD_STARTED' }, ruled)).toMatchObject({ allowed: false, reason: 'Okänt kommando för ett beslut om medel: PERIOD_STARTED.' });
  });

  it('says in Swedish who may do a thing', () => {
    expect(whoMayFund('DECIDE')).toBe('nämndkansliet');
    expect(whoMayFund('RECORD_FOLLOW_UP')).toBe('nämndkansliet eller en ansvarig handläggare för ärendet');
    expect(fundingDecisionDefinition.rules.whoMay('UPDATE_PROPOSAL')).toBe('nämndkansliet eller en ansvarig handläggare för ärendet');
  });
});
