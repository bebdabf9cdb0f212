import { FollowUpDutiesView, FollowUpObligationView } from '@app/agreements/dto/agreement-view.dto';
import { DateOnly, DateTime, Int, ListOf, Nested, Str, Uuid } from '@app/common/view-properties';

export class MeetingParticipantView {
  @Uuid({ nullable: true }) personId!: string | null;
  @Str() name!: string;
}

export class RecordedByView {
  @Uuid() personId!: string;
  @Str() name!: string;
}

export class MeetingRecordView {
  @Uuid() id!: string;
  @Uuid() agreementId!: string;
  @Int() year!: number;
  @DateOnly() heldOn!: string;
  @ListOf(() => MeetingParticipantView) participants!: MeetingParticipantView[];
  @Str() notes!: string;
  @Nested(() => RecordedByView, { nullable: true }) recordedBy!: RecordedByView | null;
  @DateTime() recordedAt!: string;
}

export class ReportOutcomesView {
  @Int() work!: number;
  @Int() studies!: number;
  @Int() otherActivity!: number;
  @Int() noChange!: number;
}

export class ReportRecordView {
  @Uuid() id!: string;
  @Uuid() agreementId!: string;
  @Int() year!: number;
  @Uuid() organisationId!: string;
  @Str() organisationName!: string;
  @Str() text!: string;
  @Int() participantsCount!: number;
  @Int() gaProgressCount!: number;
  @Nested(() => ReportOutcomesView) outcomes!: ReportOutcomesView;
  @Int() placesUsed!: number;
  @Int({ nullable: true }) placesAgreed!: number | null;
  @Nested(() => RecordedByView, { nullable: true }) submittedBy!: RecordedByView | null;
  @DateTime() submittedAt!: string;
}

/** An agreement's follow-up: duties, each year's obligations, the meetings held and reports handed in. */
export class FollowUpView {
  @Uuid() agreementId!: string;
  @Nested(() => FollowUpDutiesView, { nullable: true }) duties!: FollowUpDutiesView | null;
  @ListOf(() => FollowUpObligationView) obligations!: FollowUpObligationView[];
  @ListOf(() => MeetingRecordView) meetings!: MeetingRecordView[];
  @ListOf(() => ReportRecordView) reports!: ReportRecordView[];
  @Str() notice!: string;
}
