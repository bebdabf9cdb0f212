/**
 * Model-based test: @xstate/graph explores every state the machine can reach from a
 * Bromodellen initiative under a finite alphabet of concrete events (with `today`
 * chosen from the agreement's own dates so the guards can pass, plus events the guards
 * must refuse). The exploration must cover every state code and every transition the
 * machine defines, and invariants are checked on every state and every edge.
 */
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import type { AnyStateNode } from 'xstate';
import { addDays } from '../calendar/calendar';
import { ORG, amendedBromodellenEconomics, bromodellenInput, bromodellenTerms, ev, followUpDuties, roughInitiativeTerms } from './__fixtures__/factories';
import { deadlinesOf } from './deadlines';
import { agreementMachine, decisionWindowOpens } from './machine';
import {
  ALL_STATE_CODES,
  FINAL_STATE_CODES,
  persist,
  startAgreement,
  stateCodeOf,
  step,
  type AgreementSnapshot,
  type PersistedAgreement,
} from './persistence';
import { reminderSchedule } from './reminders';
import { ALL_EVENT_TYPES, type AgreementContext, type AgreementEvent, type CalendarDate, type PartyAct } from './types';

const input = bromodellenInput({ terms: roughInitiativeTerms() });

const firstWhoHasNotActed = (context: AgreementContext, acts: PartyAct[]): string | undefined =>
  context.terms.parties.map((p) => p.organisationId).find((id) => !acts.some((a) => a.organisationId === id));

/**
 * The alphabet offered in every state: each event type, with dates read from the agreement so
 * that the guard can pass, and variants the guards must refuse. Parties act in the order they are
 * listed, which keeps the state space finite and small without losing a transition.
 * A signatory sends the draft back at most once, so there are at most two signing rounds.
 */
function alphabet(snapshot: AgreementSnapshot): AgreementEvent[] {
  const c = snapshot.context;
  const first = c.terms.parties[0].organisationId;
  const periodStart: CalendarDate = c.periodStart ?? '2024-01-01';
  const endDate: CalendarDate = c.endDate ?? '2025-12-31';
  const decisionDay: CalendarDate = c.decision?.dueDate ?? endDate;
  const nextSigner = firstWhoHasNotActed(c, c.signatures);
  const nextDecider = c.decision ? firstWhoHasNotActed(c, c.decision.consents) : undefined;
  const nextTerminator = firstWhoHasNotActed(c, c.terminationConsents);
  // Once followed up or amended, only the amendment's own events: the lifecycle is explored from unamended agreements.
  if (c.followUps.length > 0 || c.overdueFollowUps.length > 0 || c.amendment !== null || c.termsVersions.length > 1) {
    return followUpAndAmendmentEvents(c, periodStart, endDate);
  }
  const events: AgreementEvent[] = [
    ev.accept(c.proposedOn),
    ev.decline('Ryms inte i budgeten.', c.proposedOn),
    ev.decline('  ', c.proposedOn),
    ev.updateTerms(bromodellenTerms({ followUp: followUpDuties() }), '2023-10-01'),
    ev.updateTerms(roughInitiativeTerms(), '2023-10-01'),
    ev.updateTerms(bromodellenTerms({ validity: { startDate: '2024-01-01', endDate: '2023-01-01' } }), '2023-10-01'),
    ev.sendForSigning('2023-11-20'),
    ev.sign(first, '2023-11-27'),
    ev.sign(ORG.rodaKorset, '2023-11-27'),
    ev.returnToDraft(first, ' ', '2023-11-28'),
    ev.returnToDraft(ORG.rodaKorset, 'Vi vill vara med.', '2023-11-28'),
    ev.startDateReached(addDays(periodStart, -1)),
    ev.startDateReached(periodStart),
    ev.decisionWindowOpened(decisionWindowOpens(c) ?? '2025-03-31'),
    ev.consentToExtension(first, decisionDay),
    ev.consentToExtension(ORG.rodaKorset, decisionDay),
    ev.refuseExtension(first, '', decisionDay),
    ev.decisionDeadlinePassed(decisionDay),
    ev.decisionDeadlinePassed(addDays(decisionDay, 1)),
    ev.newPeriodStarted(addDays(periodStart, -1)),
    ev.newPeriodStarted(periodStart),
    ev.endDatePassed(endDate),
    ev.endDatePassed(addDays(endDate, 1)),
    ev.consentToTermination(first, periodStart),
    ev.consentToTermination(ORG.rodaKorset, periodStart),
    ev.declareTermination('secretariat', 'material_breach', 'Väsentliga brister.', periodStart),
    ev.declareTermination(ORG.rodaKorset, 'material_breach', 'Väsentliga brister.', periodStart),
    ev.recordSettlement([{ organisationId: ORG.bilda, amountKr: 1000 }], 'Reglering.', c.termination?.effectiveOn ?? periodStart),
    ev.recordSettlement([{ organisationId: ORG.bilda, amountKr: -1 }], 'Reglering.', c.termination?.effectiveOn ?? periodStart),
  ];
  if (nextSigner) events.push(ev.sign(nextSigner, '2023-11-27'));
  if (c.signingRound < 2) events.push(ev.returnToDraft(first, 'Antalet platser saknas.', '2023-11-28'));
  if (nextDecider) {
    events.push(ev.consentToExtension(nextDecider, decisionDay));
    events.push(ev.refuseExtension(nextDecider, 'Ingen finansiering.', decisionDay));
  }
  if (nextTerminator) events.push(ev.consentToTermination(nextTerminator, periodStart));
  events.push(...followUpAndAmendmentEvents(c, periodStart, endDate));
  return events;
}

/**
 * Follow-up and amendment events, offered from a quiet agreement only (no termination or extension
 * consent under way, at most one renewal) and one concern at a time, so that every in-force state takes
 * each of them while the state space stays small: one follow-up record or mark, or one amendment round.
 */
function followUpAndAmendmentEvents(c: AgreementContext, periodStart: CalendarDate, endDate: CalendarDate): AgreementEvent[] {
  const quiet = c.terminationConsents.length === 0 && (c.decision?.consents.length ?? 0) === 0 && c.extensionsUsed <= 1;
  const followedUp = c.followUps.length > 0 || c.overdueFollowUps.length > 0;
  const amended = c.amendment !== null || c.termsVersions.length > 1;
  const year = Number(periodStart.slice(0, 4));
  const events: AgreementEvent[] = [];
  if (!quiet) return events;
  if (!followedUp && !amended) {
    events.push(
      ev.recordMeeting(periodStart, periodStart),
      ev.recordMeeting(addDays(periodStart, -1), periodStart),
      ev.submitReport(year, ORG.bilda, periodStart),
      ev.submitReport(year, ORG.linkopingsKommun, periodStart),
      ev.followUpOverdue(`${year + 1}-01-01`),
      ev.followUpOverdue(periodStart),
    );
  }
  if (!followedUp && c.amendment === null && c.termsVersions.length < 2) {
    events.push(
      ev.proposeAmendment(Number(endDate.slice(0, 4)), amendedBromodellenEconomics(), 'En fjärde tjänst hos Bilda.', periodStart),
      ev.proposeAmendment(year, amendedBromodellenEconomics(), 'Redan i år.', periodStart),
    );
  }
  if (c.amendment) {
    const nextAgreer = firstWhoHasNotActed(c, c.amendment.agreements);
    if (nextAgreer) events.push(ev.agreeToAmendment(nextAgreer, periodStart), ev.refuseAmendment(nextAgreer, 'Ryms inte i budgeten.', periodStart));
    events.push(ev.agreeToAmendment(ORG.rodaKorset, periodStart), ev.withdrawAmendment('Ersätts av ett nytt förslag.', periodStart), ev.withdrawAmendment(' ', periodStart));
  }
  return events;
}

/** Every transition the machine defines, as "from --EVENT--> to" between state codes, read from its definition. */
function definedTransitions(): { codes: Set<string>; transitions: Set<string> } {
  const codeOf = (node: AnyStateNode): string => node.path.filter((p) => p !== 'inForce').join('.');
  const initialLeaf = (node: AnyStateNode): AnyStateNode =>
    Object.keys(node.states).length === 0 ? node : initialLeaf(node.states[node.config.initial as string]);
  const leaves: AnyStateNode[] = [];
  const collect = (node: AnyStateNode): void => {
    const children = Object.values(node.states);
    if (children.length === 0) leaves.push(node);
    children.forEach(collect);
  };
  collect(agreementMachine.root);

  const transitions = new Set<string>();
  for (const leaf of leaves) {
    for (let node: AnyStateNode | undefined = leaf; node; node = node.parent) {
      for (const [eventType, candidates] of node.transitions) {
        for (const t of candidates) {
          const to = t.target?.length ? codeOf(initialLeaf(t.target[0])) : codeOf(leaf);
          transitions.add(`${codeOf(leaf)} --${eventType}--> ${to}`);
        }
      }
    }
  }
  return { codes: new Set(leaves.map(codeOf)), transitions };
}

const hasDuplicates = (acts: PartyAct[]): boolean => new Set(acts.map((a) => a.organisationId)).size !== acts.length;
const json = (value: unknown): string => JSON.stringify(value);

/** What must hold in every state the agreement can reach. Returns the broken ones. */
function brokenInvariants(persisted: PersistedAgreement): string[] {
  const broken: string[] = [];
  const c = persisted.context;
  const code = stateCodeOf(persisted.value);
  const partyIds = c.terms.parties.map((p) => p.organisationId);
  const max = c.terms.extension?.maxExtensions ?? 0;
  const allActs = [...c.signatures, ...c.terminationConsents, ...(c.decision?.consents ?? []), ...c.pastDecisions.flatMap((d) => d.consents)];

  if (c.extensionsUsed < 0 || c.extensionsUsed > max) broken.push(`extensionsUsed ${c.extensionsUsed} of at most ${max}`);
  if (c.periodStart && c.endDate && !(c.endDate > c.periodStart)) broken.push(`endDate ${c.endDate} not after periodStart ${c.periodStart}`);
  if (c.endDate && c.terms.validity.startDate && !(c.endDate > c.terms.validity.startDate)) broken.push('endDate not after the start date');
  if (hasDuplicates(c.signatures)) broken.push('an organisation signed twice');
  if (c.decision && hasDuplicates(c.decision.consents)) broken.push('an organisation consented twice to the extension');
  if (c.pastDecisions.some((d) => hasDuplicates(d.consents))) broken.push('an organisation consented twice to a past extension');
  if (hasDuplicates(c.terminationConsents)) broken.push('an organisation consented twice to the termination');
  if (allActs.some((a) => !partyIds.includes(a.organisationId))) broken.push('a non-party acted');
  if ((c.decision !== null) !== code.startsWith('extensionDecision.')) broken.push(`decision ${c.decision ? 'open' : 'missing'} in ${code}`);
  if ((c.termination !== null) !== code.startsWith('terminated.')) broken.push(`termination ${c.termination ? 'set' : 'missing'} in ${code}`);
  if ((c.settlement !== null) !== (code === 'terminated.settled')) broken.push(`settlement ${c.settlement ? 'set' : 'missing'} in ${code}`);
  if (c.pastDecisions.filter((d) => d.consents.length === partyIds.length).length !== c.extensionsUsed) {
    broken.push('extensionsUsed differs from the number of unanimous decisions');
  }
  const inForce = ['signed', 'active', 'extensionDecision.pending', 'extensionDecision.overdue', 'extensionRefused', 'renewed'];
  if (inForce.includes(code) && (c.periodStart === null || c.endDate === null)) broken.push(`${code} without a validity`);
  if (inForce.includes(code) && c.termsVersions[0]?.agreedBy.length !== partyIds.length) broken.push(`${code} without the signed terms as version 1`);
  if (c.amendment !== null && !inForce.includes(code)) broken.push(`an amendment pending in ${code}`);
  if (c.amendment && (hasDuplicates(c.amendment.agreements) || c.amendment.agreements.some((a) => !partyIds.includes(a.organisationId)))) {
    broken.push('an amendment agreed twice by a party, or by a non-party');
  }
  if (c.termsVersions.some((v, i) => v.version !== i + 1 || (i > 0 && v.effectiveFromYear <= c.termsVersions[i - 1].effectiveFromYear))) {
    broken.push('terms versions out of order');
  }
  if (c.termsVersions.slice(1).some((v) => v.agreedBy.length !== partyIds.length)) broken.push('an amendment adopted without every party');
  if (c.termsVersions.length > 0 && json(c.termsVersions.at(-1)?.economics) !== json(c.terms.economics)) broken.push('the terms are not the latest version');
  const reports = c.followUps.filter((r) => r.duty === 'yearly_report').map((r) => r.year);
  if (new Set(reports).size !== reports.length) broken.push('two yearly reports for one year');
  if (code === 'signed' && c.signatures.length !== partyIds.length) broken.push('signed without every signature');
  try {
    for (const d of deadlinesOf(persisted)) if (d.scheduledIn !== code) broken.push(`deadline scheduled in ${d.scheduledIn} in ${code}`);
    reminderSchedule(persisted);
  } catch (error) {
    broken.push(`deadlines or reminders throw: ${String(error)}`);
  }
  return broken;
}

const transitionName = (from: string, type: string, to: string): string => `${from} --${type}--> ${to}`;

describe('the agreement machine as a model', () => {
  // A machine that lets the state space grow without bound (say, a party signing twice) fails here instead of hanging.
  const options = { input, events: alphabet, limit: 60_000 };
  const adjacency = getAdjacencyMap(agreementMachine, options);
  const paths = getShortestPaths(agreementMachine, options);
  const defined = definedTransitions();
  /** Every explored edge, also sent through step(), the way the service sends events. */
  const edges = adjacencyMapToArray(adjacency).map(({ state, event, nextState }) => {
    const from = persist(state);
    return { event, from, to: persist(nextState), result: step(from, event) };
  });
  const invariantMemo = new Map<string, string[]>();
  const brokenIn = (persisted: PersistedAgreement): string[] => {
    const key = json(persisted);
    if (!invariantMemo.has(key)) invariantMemo.set(key, brokenInvariants(persisted));
    return invariantMemo.get(key)!;
  };

  it('explores a finite, not trivial, state space with every event type in the alphabet', () => {
    expect(paths.length).toBe(Object.keys(adjacency).length);
    expect(paths.length).toBeGreaterThan(100);
    expect(paths.length).toBeLessThan(5000);
    const offered = new Set(edges.map((e) => e.event.type));
    expect([...offered].sort()).toEqual([...ALL_EVENT_TYPES].sort());
  });

  it('knows every state code of the machine definition, and no other', () => {
    expect([...defined.codes].sort()).toEqual([...ALL_STATE_CODES].sort());
  });

  it('reaches every state code', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => stateCodeOf(s.state.value))));
    expect([...reached].sort()).toEqual([...ALL_STATE_CODES].sort());
  });

  it('takes every transition the machine defines, and no other', () => {
    const taken = new Set(edges.filter((e) => e.result.applied).map((e) => transitionName(e.result.from, e.event.type, e.result.applied ? e.result.to : '')));
    expect([...taken].sort()).toEqual([...defined.transitions].sort());
  });

  it('walks every path through step() to the same agreement as the model', () => {
    // By induction over the shortest-path tree: the first step is startAgreement(), and each
    // further step, sent through step() from the state before it, gives exactly the state after it.
    const failures: string[] = [];
    for (const path of paths) {
      expect(json(persist(path.steps[0].state))).toBe(json(startAgreement(input)));
      const [before, after] = path.steps.slice(-2);
      if (!after) continue;
      const result = step(persist(before.state), after.event);
      if (!result.applied || json(result.next) !== json(persist(after.state))) {
        failures.push(`${after.event.type} from ${stateCodeOf(before.state.value)}: ${result.applied ? 'another agreement' : result.reason}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('keeps the invariants on every step of every path', () => {
    const failures: string[] = [];
    for (const path of paths) {
      for (const { state } of path.steps) {
        for (const problem of brokenIn(persist(state))) {
          failures.push(`${stateCodeOf(path.state.value)} via ${path.steps.map((s) => s.event.type).join(' → ')}: ${problem}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('keeps the invariants across every edge: a refused event changes nothing, a final state never moves', () => {
    const failures: string[] = [];
    for (const { event, from, to, result } of edges) {
      const fromCode = stateCodeOf(from.value);
      const label = `${fromCode} + ${json(event)}`;
      for (const problem of brokenIn(to)) failures.push(`${label}: ${problem}`);
      if (!result.applied && json(to) !== json(from)) failures.push(`${label}: refused by step() but changed by the machine`);
      if (result.applied && json(result.next) !== json(to)) failures.push(`${label}: step() and the machine disagree`);
      if (FINAL_STATE_CODES.includes(fromCode) && (result.applied || json(to) !== json(from))) {
        failures.push(`${label}: left the final state`);
      }
      if (to.context.extensionsUsed < from.context.extensionsUsed) failures.push(`${label}: extensionsUsed went down`);
      if (from.context.endDate && to.context.endDate && to.context.endDate < from.context.endDate) failures.push(`${label}: the end date moved back`);
      if (to.context.pastDecisions.length < from.context.pastDecisions.length) failures.push(`${label}: a past decision was lost`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
