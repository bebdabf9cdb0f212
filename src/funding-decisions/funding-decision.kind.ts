import type { EntityManager } from 'typeorm';
import { fundingDecisionDefinition } from '@workflows/funding-decision/definition';
import type { FundingDeadline } from '@workflows/funding-decision/deadlines';
import type { ExpediteDecisionParams } from '@workflows/funding-decision/machine';
import type { PersistedFundingDecision } from '@workflows/funding-decision/persistence';
import { ROLES_SEEING_ALL, ruledOf } from '@workflows/funding-decision/rules';
import type { CaseRequester } from '@workflows/kernel/kernel';
import type { FundingDecisionContext } from '@workflows/funding-decision/types';
import type { CaseKind, CaseRef, ReminderMessage } from '@app/cases/case-kind';
import { enqueueMessage } from '@app/notifications/outbox.repository';
import { decisionMail, fundingReminderMail, FUNDING_REMINDER_WORDS } from './decision-mail';
import { casesAtMeeting, contextOf, FUNDING_COLUMNS, idsNamedFor, insertFundingDecision, officialAddresses } from './funding-decision.repository';

export const fundingDecisionCase = (id: string): CaseRef => ({ type: fundingDecisionDefinition.type, id });

export const FUNDING_LIST_PATH = '/beslut-om-medel';

export const fundingDecisionPath = (id: string): string => `${FUNDING_LIST_PATH}/${id}`;

function project(persisted: PersistedFundingDecision, deadlines: readonly FundingDeadline[]): Record<string, unknown> {
  const { context } = persisted;
  return {
    committee: context.committee,
    amountKr: context.proposal.amountKr,
    periodStart: context.proposal.period.startDate,
    periodEnd: context.proposal.period.endDate,
    nextDeadlineDate: deadlines[0]?.dueDate ?? null,
  };
}

/** The same rule as maySeeFundingDecision, in SQL: the offices see all; officials and the partner's members their own. */
async function casesVisibleTo(manager: EntityManager, who: CaseRequester): Promise<'all' | string[]> {
  if (who.roles.some((r) => ROLES_SEEING_ALL.includes(r))) return 'all';
  const ofPartner = who.organisationId && who.roles.some((r) => r === 'member' || r === 'signatory') ? who.organisationId : null;
  if (!ofPartner && !who.personId) return [];
  return idsNamedFor(manager, { personId: who.personId ?? null, organisationId: ofPartner });
}

/**
 * The funding decision (beslut om medel, seed 004) as the engine runs it. Built with the public base
 * URL and the sender domain, which its expediering mail needs.
 */
export function fundingDecisionKind(mailer: { publicBaseUrl: string; messageIdDomain: string; secretariatEmail: string }): CaseKind {
  return {
    definition: fundingDecisionDefinition,
    table: 'funding_decision',
    pagePath: fundingDecisionPath,
    // Everyone signed in: the list shows each person the decisions the rules let them see.
    navigation: { path: FUNDING_LIST_PATH, label: 'Beslut om medel' },
    summary: (_manager: EntityManager, _id: string, context: unknown) => Promise.resolve({ title: (context as FundingDecisionContext).title, reference: null }),
    columns: FUNDING_COLUMNS,
    project: (persisted, deadlines) => project(persisted as PersistedFundingDecision, deadlines as FundingDeadline[]),
    insert: insertFundingDecision,
    ruledOf: (locked) => ruledOf(locked.context as FundingDecisionContext),
    casesVisibleTo: (manager, who) => casesVisibleTo(manager, who),
    reminderWords: FUNDING_REMINDER_WORDS,
    async reminderMessages(manager, reminder, { secretariatEmail, publicBaseUrl }): Promise<ReminderMessage[]> {
      const context = await contextOf(manager, reminder.caseId);
      const people = await officialAddresses(manager, context);
      if (reminder.audience === 'officials_and_secretariat' || people.length === 0) people.push({ email: secretariatEmail.toLowerCase(), name: 'Nämndkansliet' });
      const seen = new Set<string>();
      const url = `${publicBaseUrl}${fundingDecisionPath(reminder.caseId)}`;
      return people
        .filter((p) => !seen.has(p.email) && seen.add(p.email))
        .map((p) => ({ email: p.email, name: p.name, ics: null, ...fundingReminderMail(context, reminder, p.name, url) }));
    },
    casesAtMeeting,
    async carryOut(manager, id, actions, next, now) {
      for (const action of actions) {
        if (action.type !== 'expediteDecision') continue;
        const params = action.params as ExpediteDecisionParams;
        const context = next.context as FundingDecisionContext;
        const url = `${mailer.publicBaseUrl}${fundingDecisionPath(id)}`;
        const sentTo: string[] = [];
        for (const recipient of params.recipients) {
          if (!recipient.email) continue;
          sentTo.push(recipient.name);
          const body = decisionMail(context, recipient.name, url);
          await enqueueMessage(
            manager,
            { idempotencyKey: `decision:${id}:${recipient.email.toLowerCase()}`, case: fundingDecisionCase(id), kind: 'decision', recipient: recipient.email, recipientName: recipient.name, ...body },
            now,
            mailer.messageIdDomain,
          );
        }
        // The secretariat's copy says who got it and who must be sent it another way.
        const copy = decisionMail(context, 'Nämndkansliet', url, sentTo);
        await enqueueMessage(
          manager,
          { idempotencyKey: `decision:${id}:kansliet`, case: fundingDecisionCase(id), kind: 'decision', recipient: mailer.secretariatEmail, recipientName: 'Nämndkansliet', ...copy },
          now,
          mailer.messageIdDomain,
        );
      }
    },
  };
}
