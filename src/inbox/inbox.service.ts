import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { calendarDateOf, type CalendarDate } from '@workflows/calendar/calendar';
import { AgreementRepository } from '@app/agreements/agreement.repository';
import type { Actor } from '@app/audit/actor';
import { CaseDeadlineProjector } from '@app/cases/case-deadline.projector';
import { countOpenIncidentsTo, openIncidentsOldestFirst } from '@app/incidents/incident.repository';
import { countUndelivered, undeliveredOldestFirst } from '@app/notifications/outbox.repository';

/** What can wait for a person, one kind per source. */
export type InboxItemKind = 'initiative' | 'returned_draft' | 'signature' | 'extension_consent' | 'amendment_consent' | 'follow_up_overdue' | 'failed_email' | 'open_incident';

/** One thing that waits for the person: what it is, since when, what to do and where to do it. */
export interface InboxItem {
  kind: InboxItemKind;
  /** The day it started waiting (Stockholm), ÅÅÅÅ-MM-DD: the list is oldest first. */
  since: CalendarDate;
  /** What it is about: an agreement's title, an e-mail's subject, an incident's summary. */
  title: string;
  /** More about it in a line (who returned it and why, to whom the e-mail went), or null. */
  detail: string | null;
  /** What to do, in a sentence. */
  todo: string;
  /** The button's words, and the page it opens. */
  action: string;
  href: string;
  /** The last day, when there is one (an extension decision, an overdue duty's date). */
  due: CalendarDate | null;
}

export interface Inbox {
  /** At most INBOX_LIMIT, oldest first. */
  items: InboxItem[];
  /** Everything waiting (at most INBOX_COUNT_CAP counted): `total - items.length` more than the page shows. */
  total: number;
}

/** Items on the page. */
export const INBOX_LIMIT = 200;
/** How far the page's total is counted. */
export const INBOX_COUNT_CAP = 10_000;
/** How far the navigation counts ("99+" beyond): each source stops at this many. */
export const NAV_COUNT_CAP = 100;
const FOLLOW_UP_KINDS = ['follow_up_meeting', 'yearly_report'];

const page = (id: string): string => `/overenskommelser/${id}`;
const event = (id: string, type: string): string => `${page(id)}/handelser/${type}`;

/** A source of items for one person: the page's items and a bounded count of them. */
interface Source {
  items(limit: number): Promise<InboxItem[]>;
  count(cap: number): Promise<number>;
}

/**
 * Att göra: what waits for this person now, asked of each source in SQL, bounded, oldest first.
 * The secretariat gets the initiatives and the returned drafts; a firmatecknare their own signature
 * and consents; whoever sits in an agreement's samverkansgrupp its overdue follow-up; an
 * administrator the e-mail that could not be delivered and the open incidents. The same queries
 * count for the navigation, each stopped at NAV_COUNT_CAP.
 */
@Injectable()
export class InboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agreements: AgreementRepository,
    private readonly projector: CaseDeadlineProjector,
  ) {}

  async inbox(actor: Actor): Promise<Inbox> {
    const sources = this.sourcesOf(actor);
    const [lists, counts] = await Promise.all([Promise.all(sources.map((s) => s.items(INBOX_LIMIT))), Promise.all(sources.map((s) => s.count(INBOX_COUNT_CAP)))]);
    const items = lists
      .flat()
      .sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.title.localeCompare(b.title, 'sv')))
      .slice(0, INBOX_LIMIT);
    return { items, total: Math.max(items.length, counts.reduce((n, c) => n + c, 0)) };
  }

  /** How many items wait, each source counted to at most NAV_COUNT_CAP (the navigation shows "99+" beyond 99). */
  async count(actor: Actor): Promise<number> {
    const counts = await Promise.all(this.sourcesOf(actor).map((s) => s.count(NAV_COUNT_CAP)));
    return counts.reduce((n, c) => n + c, 0);
  }

  private sourcesOf(actor: Actor): Source[] {
    const sources: Source[] = [];
    const personId = actor.personId;
    if (!personId) return sources;
    if (actor.roles.includes('secretariat')) sources.push(this.secretariat());
    if (actor.roles.includes('signatory') && actor.organisationId) sources.push(this.signatory(personId, actor.organisationId));
    sources.push(this.samverkansgrupp(personId, actor));
    if (actor.roles.includes('administrator')) sources.push(this.undelivered(), this.incidents());
    return sources;
  }

  private secretariat(): Source {
    return {
      items: async (limit) =>
        (await this.agreements.waitingForSecretariat(limit)).map((r): InboxItem =>
          r.kind === 'initiative'
            ? {
                kind: r.kind,
                since: r.since,
                title: r.title,
                detail: r.organisation_name ? `Initiativ från ${r.organisation_name}.` : null,
                todo: 'Nytt initiativ: ta upp det för att arbeta fram ett utkast, eller avböj det med ett skäl.',
                action: 'Ta upp eller avböj',
                href: page(r.id),
                due: null,
              }
            : {
                kind: r.kind,
                since: r.since,
                title: r.title,
                detail: `Återfört till utkast${r.organisation_name ? ` av ${r.organisation_name}` : ''}${r.reason ? ` med skälet: ${r.reason}` : '.'}`,
                todo: 'Utkastet har återförts: ändra villkoren och skicka det för signering igen.',
                action: 'Ändra utkastet',
                href: `${page(r.id)}/andra`,
                due: null,
              },
        ),
      count: (cap) => this.agreements.countWaitingForSecretariat(cap),
    };
  }

  private signatory(personId: string, organisationId: string): Source {
    const words = {
      signature: { todo: 'Din underskrift: överenskommelsen väntar på att din organisation signerar.', action: 'Signera', type: 'SIGN' },
      extension_consent: { todo: 'Ditt samtycke till förlängningen: samtyck eller avböj med ett skäl.', action: 'Samtyck till förlängning', type: 'CONSENT_TO_EXTENSION' },
      amendment_consent: { todo: 'Ditt samtycke till tillägget: godkänn eller avböj den nya ekonomin.', action: 'Godkänn tillägg', type: 'AGREE_TO_AMENDMENT' },
    } as const;
    return {
      items: async (limit) =>
        (await this.agreements.waitingForSignatory(personId, organisationId, limit)).map(
          (r): InboxItem => ({
            kind: r.kind,
            since: r.since,
            title: r.title,
            detail: r.due ? `Beslutet ska vara fattat senast ${r.due}.` : null,
            todo: words[r.kind].todo,
            action: words[r.kind].action,
            href: event(r.id, words[r.kind].type),
            due: r.due,
          }),
        ),
      count: (cap) => this.agreements.countWaitingForSignatory(personId, organisationId, cap),
    };
  }

  /** Overdue follow-up duties of the agreements whose samverkansgrupp names the person. */
  private samverkansgrupp(personId: string, actor: Actor): Source {
    const overdue = async (limit: number) => {
      await this.projector.catchUp();
      return this.agreements.overdueInSamverkansgruppOf(personId, FOLLOW_UP_KINDS, limit);
    };
    // The partner's own members hand in the report; anyone else follows it up on the agreement's page.
    const reports = actor.organisationKind === 'civil_society' && actor.roles.some((r) => r === 'member' || r === 'signatory');
    return {
      items: async (limit) => {
        return (await overdue(limit)).map((d): InboxItem => {
          const meeting = d.kind === 'follow_up_meeting';
          return {
            kind: 'follow_up_overdue',
            since: d.dueDate,
            title: d.title,
            detail: meeting ? `Uppföljningsmötet för ${d.cycle} skulle ha hållits senast ${d.dueDate}.` : `Årsrapporten för ${d.cycle} skulle ha lämnats senast ${d.dueDate}.`,
            todo: meeting
              ? 'Försenad uppföljning: samverkansgruppen ska hålla årets uppföljningsmöte, och nämndkansliet registrerar det.'
              : 'Försenad uppföljning: den idéburna parten ska lämna den skriftliga årsrapporten till nämnden.',
            action: !meeting && reports ? 'Lämna årsrapporten' : 'Se uppföljningen',
            href: !meeting && reports ? `${page(d.caseId)}/uppfoljning/arsrapport` : page(d.caseId),
            due: d.dueDate,
          };
        });
      },
      count: async (cap) => (await overdue(cap)).length,
    };
  }

  private undelivered(): Source {
    return {
      items: async (limit) =>
        (await undeliveredOldestFirst(this.dataSource.manager, limit)).map(
          (m): InboxItem => ({
            kind: 'failed_email',
            since: calendarDateOf(new Date(m.created_at).getTime()),
            title: m.subject,
            detail: `Till ${m.recipient}${m.last_error ? `: ${m.last_error}` : '.'}`,
            todo: 'E-post som inte kunde levereras: kontrollera adressen och se till att mottagaren får beskedet.',
            action: 'Se e-posten',
            href: '/administration#rubrik-misslyckad',
            due: null,
          }),
        ),
      count: (cap) => countUndelivered(this.dataSource.manager, cap),
    };
  }

  private incidents(): Source {
    return {
      items: async (limit) =>
        (await openIncidentsOldestFirst(this.dataSource.manager, limit)).map(
          (i): InboxItem => ({
            kind: 'open_incident',
            since: calendarDateOf(new Date(i.opened_at).getTime()),
            title: i.summary,
            detail: i.error,
            todo: 'Öppen incident: en rad har fallerat upprepade gånger. Försök igen eller avfärda den.',
            action: 'Se incidenten',
            href: '/administration/incidenter',
            due: null,
          }),
        ),
      count: (cap) => countOpenIncidentsTo(this.dataSource.manager, cap),
    };
  }
}
