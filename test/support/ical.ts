import * as ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  summary: string;
  /** YYYY-MM-DD */
  start: string;
  allDay: boolean;
  url: string | null;
}

/** Reads an iCalendar document with ical.js, a parser independent of the generator under test. */
export function parseCalendar(text: string): { name: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const url = component.getFirstPropertyValue('url');
    return { uid: event.uid, summary: event.summary, start: event.startDate.toString().slice(0, 10), allDay: event.startDate.isDate, url: typeof url === 'string' ? url : null };
  });
  return { name: calendar.name, events };
}

/** RFC 5545 §3.1: CRLF after every line, none longer than 75 octets. */
export function lineProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\r\n')) problems.push('does not end with CRLF');
  if (/[^\r]\n/.test(text) || /\r[^\n]/.test(text)) problems.push('bare LF or CR');
  for (const line of text.split('\r\n')) if (Buffer.byteLength(line, 'utf8') > 75) problems.push(`line over 75 octets: ${line}`);
  return problems;
}
