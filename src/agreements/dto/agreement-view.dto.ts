import { STATE_LABELS } from '@workflows/agreement/labels';
import { ALL_EVENT_TYPES, type AgreementEventType } from '@workflows/agreement/types';
import type { AgreementStateCode } from '@workflows/agreement/persistence';
import { PERSON_ROLES } from '@workflows/agreement/rules';
import { AnyObject, Bool, DateOnly, DateTime, Int, Kronor, ListOf, Nested, OneOf, Str, Strings, Uuid } from '@app/common/view-properties';
import { ReminderPolicyDto } from './reminder-policy.dto';

/** Every state code, as AgreementView.state and the list filter use them. */
export const STATE_CODES = Object.keys(STATE_LABELS) as AgreementStateCode[];

export class ExtensionView {
  @Int() periodMonths!: number;
  @Int() maxExtensions!: number;
  @Int() decisionNoticeMonths!: number;
  @Int() decisionWindowMonths!: number;
  @Int({ description: 'Förlängningar som redan gjorts.' }) used!: number;
}

export class CostLineView {
  @Str() label!: string;
  @Kronor() amountKr!: number;
  @Uuid({ nullable: true }) organisationId!: string | null;
}

export class AgreementEconomicsView {
  @Kronor({ nullable: true }) totalKr!: number | null;
  @Int() indexationBasisPoints!: number;
  @ListOf(() => CostLineView) costLines!: CostLineView[];
}

export class InvoicingView {
  @Str({ nullable: true }) gln!: string | null;
  @Str({ nullable: true }) organisationNumber!: string | null;
  @Str({ nullable: true }) peppolId!: string | null;
  @Str({ nullable: true }) reference!: string | null;
  @Str({ nullable: true }) marking!: string | null;
  @Str({ nullable: true }) address!: string | null;
}

/** The document's other free-text sections; a section not written is left out. */
export class DocumentTextsView {
  @Str({ required: false }) background?: string;
  @Str({ required: false }) values?: string;
  @Str({ required: false }) organisation?: string;
  @Str({ required: false }) followUp?: string;
  @Str({ required: false }) termination?: string;
}

export class AgreementPartyView {
  @Uuid() organisationId!: string;
  @Str() name!: string;
  @Str() organisationNumber!: string;
  @Str({ example: 'civil_society' }) kind!: string;
  @Kronor({ nullable: true }) contributionKr!: number | null;
  @Int({ nullable: true }) shareBasisPoints!: number | null;
  @Bool() signed!: boolean;
}

export class AgreementPersonView {
  @Uuid() personId!: string;
  @Str() name!: string;
  @Str({ format: 'email' }) email!: string;
  @Uuid() organisationId!: string;
}

export class NextDeadlineView {
  @Str() kind!: string;
  @DateOnly() date!: string;
  @DateTime() at!: string;
}

export class DeadlineView {
  @Str() kind!: string;
  @Int() cycle!: number;
  @DateOnly() dueDate!: string;
  @DateTime() firesAt!: string;
  @Str({ nullable: true, description: 'Händelsen klockan skickar då.' }) event!: string | null;
  @Bool({ description: 'En uppföljningsplikt vars datum passerat utan att den uppfyllts.' }) overdue!: boolean;
}

export class YearlyReportDueView {
  @Int({ minimum: 1, maximum: 12 }) dueMonth!: number;
  @Int({ minimum: 1, maximum: 31 }) dueDay!: number;
}

export class FollowUpDutiesView {
  @Int({ description: '0 = ingen mötesplikt.' }) meetingsPerYear!: number;
  @Nested(() => YearlyReportDueView, { nullable: true }) yearlyReport!: YearlyReportDueView | null;
}

export class FollowUpObligationView {
  @OneOf(['meeting', 'yearly_report']) duty!: 'meeting' | 'yearly_report';
  @Str() dutyLabel!: string;
  @Int() year!: number;
  @DateOnly() dueDate!: string;
  @Int() required!: number;
  @Int() recorded!: number;
  @OneOf(['fulfilled', 'overdue', 'upcoming']) status!: 'fulfilled' | 'overdue' | 'upcoming';
}

export class AgreementFollowUpView {
  @Nested(() => FollowUpDutiesView, { nullable: true }) duties!: FollowUpDutiesView | null;
  @ListOf(() => FollowUpObligationView) obligations!: FollowUpObligationView[];
}

export class PartyActView {
  @Uuid() organisationId!: string;
  @DateOnly() on!: string;
}

export class TermsVersionView {
  @Int() version!: number;
  @Int() effectiveFromYear!: number;
  @AnyObject('Villkorens ekonomi i den här versionen (som economics i CreateAgreementDto).', { nullable: true }) economics!: Record<string, unknown> | null;
  @Str({ nullable: true, description: 'null för det signerade originalet.' }) reason!: string | null;
  @DateOnly({ nullable: true }) proposedOn!: string | null;
  @ListOf(() => PartyActView) agreedBy!: PartyActView[];
}

export class PendingAmendmentView {
  @Int() version!: number;
  @DateOnly() proposedOn!: string;
  @Int() effectiveFromYear!: number;
  @AnyObject('Den föreslagna ekonomin (som economics i CreateAgreementDto).') economics!: Record<string, unknown>;
  @Str() reason!: string;
  @ListOf(() => PartyActView) agreements!: PartyActView[];
}

/** An agreement with its terms, state and row version (AgreementsService.AgreementView). */
export class AgreementView {
  @Uuid() id!: string;
  @Str() title!: string;
  @Str({ nullable: true }) diarienummer!: string | null;
  @Str({ nullable: true }) committee!: string | null;
  @Str() purpose!: string;
  @Str() targetGroup!: string;
  @Str() activities!: string;
  @Nested(() => DocumentTextsView) texts!: DocumentTextsView;
  @Int({ nullable: true }) places!: number | null;
  @Str({ nullable: true }) placeCategory!: string | null;
  @OneOf(STATE_CODES) state!: AgreementStateCode;
  @Str() stateLabel!: string;
  @Int({ description: 'Skickas med vid ändringar (optimistisk låsning).' }) rowVersion!: number;
  @Int() machineVersion!: number;
  @Uuid() proposedByOrganisationId!: string;
  @DateOnly({ nullable: true }) startDate!: string | null;
  @DateOnly({ nullable: true }) endDate!: string | null;
  @DateOnly({ nullable: true }) latestPossibleEnd!: string | null;
  @Nested(() => ExtensionView, { nullable: true }) extension!: ExtensionView | null;
  @Nested(() => AgreementEconomicsView) economics!: AgreementEconomicsView;
  @Nested(() => InvoicingView) invoicing!: InvoicingView;
  @ListOf(() => AgreementPartyView) parties!: AgreementPartyView[];
  @ListOf(() => AgreementPersonView) signatories!: AgreementPersonView[];
  @ListOf(() => AgreementPersonView) samverkansgrupp!: AgreementPersonView[];
  @Nested(() => NextDeadlineView, { nullable: true }) nextDeadline!: NextDeadlineView | null;
  @ListOf(() => DeadlineView) deadlines!: DeadlineView[];
  @Nested(() => AgreementFollowUpView) followUp!: AgreementFollowUpView;
  @ListOf(() => TermsVersionView, { description: 'De överenskomna versionerna av villkoren, äldst först; tom före signering.' }) termsVersions!: TermsVersionView[];
  @Nested(() => PendingAmendmentView, { nullable: true }) pendingAmendment!: PendingAmendmentView | null;
  @AnyObject('Livscykelmaskinens tillstånd och kontext (ögonblicksbild), för felsökning och granskning.') lifecycle!: Record<string, unknown>;
}

/** The answer to an event: the transition it made. */
export class TransitionView {
  @Uuid() agreementId!: string;
  @OneOf(ALL_EVENT_TYPES) eventType!: AgreementEventType;
  @OneOf(STATE_CODES) from!: AgreementStateCode;
  @OneOf(STATE_CODES) to!: AgreementStateCode;
  @Int() rowVersion!: number;
}

export class ReminderPolicyView {
  @Uuid() agreementId!: string;
  @Nested(() => ReminderPolicyDto, { description: 'Alla listor ifyllda: utelämnade följer standard.' }) reminderPolicy!: ReminderPolicyDto;
}

export class AllowedEventView {
  @Str() type!: string;
  @Str() label!: string;
  @OneOf(PERSON_ROLES, { description: 'Rollen personen agerar i.' }) as!: string;
  @Uuid({ required: false }) organisationId?: string;
  @Str({ required: false }) declaredBy?: string;
  @Strings({ description: 'Fält som fortfarande behövs.' }) needs!: string[];
  @Str({ required: false, description: 'Satt för händelser med egen adress under /agreements/{id} (t.ex. /amendments) i stället för /events.' }) endpoint?: string;
}

export class ClockEventView {
  @Str() type!: string;
  @Str() label!: string;
}

export class AllowedEventsView {
  @OneOf(STATE_CODES) state!: AgreementStateCode;
  @Str() stateLabel!: string;
  @ListOf(() => AllowedEventView) events!: AllowedEventView[];
  @ListOf(() => ClockEventView, { description: 'Vad klockan skickar i tillståndet (inte för personer).' }) clockEvents!: ClockEventView[];
}

export class PartyProjectionView {
  @Uuid() organisationId!: string;
  @Str() name!: string;
  @Kronor() amountKr!: number;
  @Int() shareBasisPoints!: number;
}

export class YearProjectionView {
  @Int() termsVersion!: number;
  @Int() year!: number;
  @Kronor() totalKr!: number;
  @ListOf(() => PartyProjectionView) perParty!: PartyProjectionView[];
}

export class AgreementEconomicsProjectionView {
  @Uuid() agreementId!: string;
  @Int({ nullable: true }) baseYear!: number | null;
  @ListOf(() => YearProjectionView) years!: YearProjectionView[];
}

export class OverviewRowView {
  @Uuid() agreementId!: string;
  @Str() name!: string;
  @Strings() partners!: string[];
  @Str({ nullable: true }) category!: string | null;
  @Str() targetGroup!: string;
  @Str() purpose!: string;
  @Kronor({ nullable: true }) estimatedValuePerYearKr!: number | null;
  @Kronor({ nullable: true }) committeeCostPerYearKr!: number | null;
  @DateOnly({ nullable: true }) validUntil!: string | null;
  @OneOf(STATE_CODES) state!: AgreementStateCode;
  @Str() stateLabel!: string;
}
