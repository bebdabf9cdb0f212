/** The few parts of ical.js v1 (no bundled types) the tests use to read iCalendar independently of our generator. */
declare module 'ical.js' {
  export type JCal = unknown[];
  export function parse(input: string): JCal;
  export class Time {
    isDate: boolean;
    toString(): string;
  }
  export class Property {
    getFirstValue(): unknown;
  }
  export class Component {
    constructor(jcal: JCal);
    name: string;
    getAllSubcomponents(name?: string): Component[];
    getFirstSubcomponent(name: string): Component | null;
    getFirstPropertyValue(name: string): unknown;
    getFirstProperty(name: string): Property | null;
  }
  export class Event {
    constructor(component: Component);
    uid: string;
    summary: string;
    startDate: Time;
    endDate: Time;
    description: string;
  }
}
