import { isAfter, isBefore, isCalendarDate } from '../calendar/calendar';
import { validateMeeting } from '../calendar/meetings';
import { FOLLOW_UP_KINDS, type FundingDecisionContext, type FundingFollowUp, type FundingProposal } from './types';

/** What a proposal must hold before it can go on an agenda, and what it may never hold. Swedish, for the forms. */

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

export const isWholeKronor = (amount: unknown): amount is number => typeof amount === 'number' && Number.isSafeInteger(amount);

/**
 * Problems no proposal may have, even one still being written: a fractional or negative amount,
 * invalid dates, a period that ends before it starts, follow-ups named twice or at an invalid meeting.
 */
export function proposalConsistencyProblems(proposal: FundingProposal): string[] {
  const problems: string[] = [];
  if (!isWholeKronor(proposal.amountKr) || proposal.amountKr < 0) problems.push('Beloppet anges i hela kronor, noll eller mer.');
  const { startDate, endDate } = proposal.period ?? { startDate: '', endDate: '' };
  if (!isCalendarDate(startDate) || !isCalendarDate(endDate)) problems.push('Perioden behöver ett giltigt start- och slutdatum.');
  else if (isAfter(startDate, endDate)) problems.push(`Perioden slutar (${endDate}) före den börjar (${startDate}).`);
  const keys = (proposal.followUps ?? []).map((f) => f.key);
  if (new Set(keys).size !== keys.length) problems.push('Varje uppföljning behöver en egen nyckel.');
  for (const f of proposal.followUps ?? []) {
    if (!hasText(f.key)) problems.push('En uppföljning saknar nyckel.');
    if (!FOLLOW_UP_KINDS.includes(f.kind)) problems.push(`Okänd sorts uppföljning: ${String(f.kind)}.`);
    const meeting = validateMeeting(f.meeting);
    if (meeting) problems.push(`Uppföljningen ${f.key}: ${meeting}`);
  }
  return problems;
}

/** Everything missing or wrong before the committee can be asked to decide; empty = complete. */
export function proposalCompletenessProblems(proposal: FundingProposal, committee: string): string[] {
  const problems = proposalConsistencyProblems(proposal);
  if (!hasText(proposal.summary)) problems.push('Förslaget till beslut saknar text.');
  if (isWholeKronor(proposal.amountKr) && proposal.amountKr <= 0) problems.push('Beloppet måste vara större än noll.');
  if (!hasText(proposal.budgetLine)) problems.push('Budgetpost saknas.');
  if (!hasText(proposal.partner?.organisationId) || !hasText(proposal.partner?.name)) problems.push('Organisationen som tar emot medlen saknas.');
  if ((proposal.officials ?? []).length === 0 || proposal.officials.some((o) => !hasText(o.name))) problems.push('Minst en ansvarig handläggare med namn behövs.');
  if ((proposal.recipients ?? []).some((r) => !hasText(r.name))) problems.push('Varje mottagare av beslutet behöver ett namn.');
  const evaluations = (proposal.followUps ?? []).filter((f) => f.kind === 'written_evaluation');
  // The written evaluation is what closes the case: without exactly one it could never close.
  if (evaluations.length !== 1) problems.push('Beslutet ska följas upp med en skriftlig utvärdering på ett sammanträde.');
  for (const f of proposal.followUps ?? []) {
    if (f.meeting?.committee !== committee) problems.push(`Uppföljningen ${f.key} ligger på ett annat organs sammanträde än ${committee}.`);
    else if (isCalendarDate(proposal.period?.startDate) && isCalendarDate(f.meeting.date) && isBefore(f.meeting.date, proposal.period.startDate)) {
      problems.push(`Uppföljningen ${f.key} ligger före periodens start.`);
    }
  }
  return problems;
}

export const isProposalComplete = (context: Pick<FundingDecisionContext, 'proposal' | 'committee'>): boolean =>
  proposalCompletenessProblems(context.proposal, context.committee).length === 0;

export function followUpOf(context: FundingDecisionContext, key: string): FundingFollowUp | undefined {
  return context.proposal.followUps.find((f) => f.key === key);
}

export const isRecorded = (context: FundingDecisionContext, key: string): boolean => context.followUpRecords.some((r) => r.key === key);
export const isMarkedOverdue = (context: FundingDecisionContext, key: string): boolean => context.overdueFollowUps.some((o) => o.key === key);

/** The follow-ups whose meeting has passed (the day after its date has come) unrecorded and not yet marked. */
export function newlyOverdue(context: FundingDecisionContext, today: string): FundingFollowUp[] {
  return context.proposal.followUps.filter((f) => !isRecorded(context, f.key) && !isMarkedOverdue(context, f.key) && isAfter(today, f.meeting.date));
}

/** Whether the agenda meeting is still to come for the case: it is on an agenda and not yet decided. */
const agendaPending = (context: FundingDecisionContext): boolean => context.agenda !== null && context.decision === null;

/**
 * Whether a meeting is one the case still waits for: the meeting it is on the agenda of (until decided)
 * or a follow-up's. The meeting a decision was taken at is history and never moves.
 */
export function referencesMeeting(context: FundingDecisionContext, meetingId: string): boolean {
  return (agendaPending(context) && context.agenda?.meetingId === meetingId) || context.proposal.followUps.some((f) => f.meeting.meetingId === meetingId);
}

export { agendaPending };
