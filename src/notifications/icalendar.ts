import icalGenerator, { escape, ICalCalendarMethod } from 'ical-generator';
import type { CalendarDate } from '@workflows/calendar/calendar';
import type { AnyDeadlineKind } from '@workflows/agreement/deadlines';
import { DEADLINE_LABELS } from '@workflows/agreement/labels';

/** One all-day entry: a deadline on a calendar date. */
export interface CalendarEntry {
  /** Stable across sendings and feed refreshes, so calendars update the entry instead of adding one. */
  uid: string;
  date: CalendarDate;
  summary: string;
  description?: string;
  url?: string;
}

export interface CalendarDocument {
  name: string;
  entries: CalendarEntry[];
  /** DTSTAMP: the business clock's now, never the system time. */
  stamp: Date;
}

/**
 * An iCalendar (RFC 5545) document. ical-generator does the escaping (of the calendar's name too, below), the
 * 75-octet folding (by UTF-8 octets, never splitting a character) and the CRLF
 * line ends; dates are given as 'YYYY-MM-DD' strings without a calendar time
 * zone, which it writes as DTSTART;VALUE=DATE from the UTC date parts, so the
 * machine's time zone cannot move a deadline by a day.
 */
export function buildCalendar(doc: CalendarDocument): string {
  const calendar = icalGenerator({
    prodId: { company: 'Linköpings kommun', product: 'IOP-motorn', language: 'SV' },
    method: ICalCalendarMethod.PUBLISH,
    // ical-generator writes NAME and X-WR-CALNAME as given (it escapes event text only): escaped here,
    // with its own escape, so a person's name with CRLF cannot add lines or events.
    name: escape(doc.name, false),
  });
  for (const entry of doc.entries) {
    calendar.createEvent({
      id: entry.uid,
      start: entry.date,
      allDay: true,
      stamp: doc.stamp,
      summary: entry.summary,
      description: entry.description ?? null,
      url: entry.url ?? null,
    });
  }
  // Every content line ends with CRLF, the last one too.
  return `${calendar.toString()}\r\n`;
}

/** The UID of a deadline of an agreement: the same in a reminder's attachment and in the feed. */
export function deadlineUid(agreementId: string, kind: AnyDeadlineKind, cycle: number, host: string): string {
  return `iop-${agreementId}-${kind}-${cycle}@${host}`;
}

/** e.g. "IOP Bromodellen: sista dag för beslut om förlängning". */
export function deadlineSummary(title: string, kind: AnyDeadlineKind): string {
  return `IOP ${title}: ${DEADLINE_LABELS[kind]}`;
}

/** The UID of a deadline of a case of another kind than the agreement: stable per (case, deadline kind, cycle). */
export function caseDeadlineUid(caseType: string, caseId: string, kind: string, cycle: number, host: string): string {
  return `${caseType}-${caseId}-${kind}-${cycle}@${host}`;
}

/** The kind's noun with a capital, as a summary begins: 'Beslut om medel'. */
export const capitalised = (noun: string): string => noun.charAt(0).toUpperCase() + noun.slice(1);

/** e.g. "Beslut om medel Arbetsmarknadsinsatser: Muntlig avstämning på sammanträdet". */
export function caseDeadlineSummary(noun: string, title: string, label: string): string {
  return `${capitalised(noun)} ${title}: ${label}`;
}
