import type { CalendarDate } from '@workflows/calendar/calendar';
import type { ReportRecord } from '@app/follow-up/follow-up.repository';

/** One aggregate follow-up figure of a year (never personal data): e.g. participants, GA steps. */
export interface YearFigure {
  /** Stable key to sum by, e.g. 'participants'. */
  key: string;
  /** Swedish label, e.g. 'Inskrivna deltagare'. */
  label: string;
  value: number;
}

/** The figures of a yearly report, as the follow-up module stores them. */
export type ReportFigures = Pick<ReportRecord, 'participantsCount' | 'gaProgressCount' | 'outcomes' | 'placesUsed'>;

/** The figures as a list to show and sum, in the order the committee reads them. */
export function figuresOf(f: ReportFigures): YearFigure[] {
  return [
    { key: 'participants', label: 'Deltagare under året', value: f.participantsCount },
    { key: 'ga_progress', label: 'Deltagare med en stegförflyttning enligt GA-modellen', value: f.gaProgressCount },
    { key: 'outcome_work', label: 'Gick till arbete', value: f.outcomes.work },
    { key: 'outcome_studies', label: 'Gick till studier', value: f.outcomes.studies },
    { key: 'outcome_other_activity', label: 'Gick vidare till en annan insats', value: f.outcomes.otherActivity },
    { key: 'outcome_no_change', label: 'Ingen förändring', value: f.outcomes.noChange },
    { key: 'places_used', label: 'Använda platser (helårsplatser)', value: f.placesUsed },
  ];
}

/** An IOP's own account of a year, as its yearly report to the committee gives it. */
export interface YearAccount {
  agreementId: string;
  year: number;
  /** The short narrative the committee reads ("Sammanfattning och återrapport"). */
  account: string;
  figures: YearFigure[];
  /** When the report reached the secretariat, if known. */
  receivedOn: CalendarDate | null;
}

/**
 * Where the committee report reads each IOP's yearly account from. The yearly reports themselves
 * belong to the follow-up module; this small read interface is all the committee report needs of
 * them, so the report does not depend on how they are stored or written.
 */
export abstract class FollowUpAccounts {
  abstract accountsFor(year: number, agreements: readonly ReportedAgreement[]): Promise<YearAccount[]>;
}

/** An agreement the report asks about. */
export interface ReportedAgreement {
  agreementId: string;
  name: string;
}
