import type { EntityManager } from 'typeorm';
import { deadlinesOf, latestPossibleEnd } from '@workflows/agreement/deadlines';
import { noticesOf, type Notice, type NoticeAudience } from '@workflows/agreement/notices';
import type { AgreementStateCode, PersistedAgreement } from '@workflows/agreement/persistence';
import type { AgreementContext } from '@workflows/agreement/types';
import { calendarDateOf } from '@workflows/calendar/calendar';
import type { MemberContact } from '@app/agreements/agreement.repository';
import type { CaseRef, RecordedStep } from '@app/cases/case-kind';
import type { NoticePreferencesRepository } from './notice-preferences.repository';
import { enqueueMessages, type OutgoingMessage } from './outbox.repository';
import { stepNoticeMail } from './step-notice-mail';

/** What writing an agreement's notices needs besides the transaction. */
export interface AgreementNoticeDeps {
  /** The agreement's people in a role (AgreementRepository.contactsInRole). */
  contacts: (manager: EntityManager, id: string, role: 'signatory' | 'samverkansgrupp') => Promise<MemberContact[]>;
  preferences: NoticePreferencesRepository;
  secretariatEmail: string;
  publicBaseUrl: string;
  messageIdDomain: string;
}

interface NoticeRecipient {
  email: string;
  name: string | null;
  /** The party they sign for, when the notice asks them to act for it. */
  party: string | null;
}

/** The outbox key of one notice to one person: the step (its row version) names it, so a retried transaction writes it once. */
export const noticeIdempotencyKey = (caseId: string, rowVersion: number, kind: string, email: string): string => `notice:${caseId}:${rowVersion}:${kind}:${email.toLowerCase()}`;

async function recipientsOf(manager: EntityManager, notice: Notice, step: RecordedStep, context: AgreementContext, deps: AgreementNoticeDeps): Promise<NoticeRecipient[]> {
  const partyOf = (organisationId: string): string | null => context.terms.parties.find((p) => p.organisationId === organisationId)?.name ?? null;
  const byAudience = async (audience: NoticeAudience): Promise<NoticeRecipient[]> => {
    switch (audience) {
      case 'secretariat':
        return [{ email: deps.secretariatEmail, name: 'Nämndkansliet', party: null }];
      case 'proposer': {
        // A receipt to the person who sent it for their organisation; the secretariat registering one received on paper gets none.
        const own = step.actor.personId !== null && step.actor.organisationId === context.proposedBy;
        const person = own && step.actor.personId ? await deps.preferences.contactOf(manager, step.actor.personId) : null;
        return person ? [{ email: person.email, name: person.name, party: null }] : [];
      }
      case 'signatories':
        return (await deps.contacts(manager, step.id, 'signatory')).map((m) => ({ email: m.email, name: m.name, party: partyOf(m.organisation_id) }));
      case 'samverkansgrupp':
        return (await deps.contacts(manager, step.id, 'samverkansgrupp')).map((m) => ({ email: m.email, name: m.name, party: null }));
    }
  };
  const seen = new Set<string>();
  const unique: NoticeRecipient[] = [];
  for (const audience of notice.audiences) {
    for (const r of await byAudience(audience)) {
      const email = r.email.toLowerCase();
      if (seen.has(email)) continue;
      seen.add(email);
      unique.push({ ...r, email });
    }
  }
  return unique;
}

/**
 * The notices of one recorded step of an agreement, one outbox row per person, in the step's own
 * transaction: a rollback leaves none, and a retried step writes each once. A person who has turned
 * the kind off (Mina inställningar) gets none. Returns how many rows were written.
 */
export async function writeAgreementNotices(manager: EntityManager, step: RecordedStep, deps: AgreementNoticeDeps, now: Date): Promise<number> {
  const next = step.next as PersistedAgreement;
  const previous = step.previous as PersistedAgreement | null;
  const notices = noticesOf({ eventType: step.eventType, from: step.from as AgreementStateCode | null, to: step.to as AgreementStateCode, before: previous?.context ?? null, after: next.context });
  if (notices.length === 0) return 0;
  const { title, reference: diarienummer } = step.summary;
  const deadlines = deadlinesOf(next);
  const ref: CaseRef = { type: 'agreement', id: step.id };
  const messages: OutgoingMessage[] = [];
  for (const notice of notices) {
    const recipients = await recipientsOf(manager, notice, step, next.context, deps);
    const off = await deps.preferences.optedOut(manager, notice.kind, recipients.map((r) => r.email));
    for (const recipient of recipients.filter((r) => !off.has(r.email))) {
      const mail = stepNoticeMail({
        kind: notice.kind,
        agreement: { id: step.id, title, diarienummer, context: next.context, before: previous?.context ?? null },
        payload: step.payload,
        actorName: step.actor.name,
        deadlines,
        latestEnd: latestPossibleEnd(next),
        recipientName: recipient.name,
        party: recipient.party,
        publicBaseUrl: deps.publicBaseUrl,
        on: calendarDateOf(now.getTime()),
      });
      messages.push({
        idempotencyKey: noticeIdempotencyKey(step.id, step.rowVersion, notice.kind, recipient.email),
        case: ref,
        kind: notice.kind,
        recipient: recipient.email,
        recipientName: recipient.name,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
    }
  }
  // One statement for the step's notices, however many people they go to.
  return enqueueMessages(manager, messages, now, deps.messageIdDomain);
}
