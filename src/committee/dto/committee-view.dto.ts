import { DateOnly, DateTime, Int, Kronor, ListOf, Nested, OneOf, Str, Strings, Uuid } from '@app/common/view-properties';

export class CommitteeReportRowView {
  @Uuid() agreementId!: string;
  @Str() name!: string;
  @Str({ nullable: true }) committee!: string | null;
  @Strings() partners!: string[];
  @Str({ nullable: true }) category!: string | null;
  @Str() targetGroup!: string;
  @Str() purpose!: string;
  @Int({ nullable: true }) places!: number | null;
  @Kronor({ nullable: true }) estimatedValuePerYearKr!: number | null;
  @Kronor({ nullable: true }) committeeCostPerYearKr!: number | null;
  @DateOnly({ nullable: true }) validUntil!: string | null;
  @Int() extensionsLeft!: number;
  @DateOnly({ nullable: true }) extensionDecisionDue!: string | null;
  @DateOnly({ nullable: true }) terminatedOn!: string | null;
}

export class CommitteeReportTotalsView {
  @Kronor() estimatedValuePerYearKr!: number;
  @Kronor() committeeCostPerYearKr!: number;
}

export class YearFigureView {
  @Str() key!: string;
  @Str() label!: string;
  @Int() value!: number;
}

export class CommitteeReportAccountView {
  @Uuid() agreementId!: string;
  @Str() name!: string;
  @Str({ nullable: true }) account!: string | null;
  @ListOf(() => YearFigureView) figures!: YearFigureView[];
}

export class SummedFigureView {
  @Int({ description: 'Hur många överenskommelser som rapporterat siffran.' }) reportedBy!: number;
  @Str() key!: string;
  @Str() label!: string;
  @Int() value!: number;
}

export class EndingAgreementView {
  @Uuid() agreementId!: string;
  @Str() name!: string;
  @DateOnly() validUntil!: string;
  @Int() extensionsLeft!: number;
  @DateOnly({ nullable: true }) decisionDue!: string | null;
}

/** The committee's yearly report (årsrapport) as data. */
export class CommitteeReportView {
  @Int() year!: number;
  @Str({ nullable: true }) committee!: string | null;
  @DateOnly() generatedOn!: string;
  @ListOf(() => CommitteeReportRowView) rows!: CommitteeReportRowView[];
  @Nested(() => CommitteeReportTotalsView) totals!: CommitteeReportTotalsView;
  @ListOf(() => CommitteeReportAccountView) accounts!: CommitteeReportAccountView[];
  @ListOf(() => SummedFigureView) figures!: SummedFigureView[];
  @ListOf(() => EndingAgreementView) endingNextYear!: EndingAgreementView[];
}

export class TemplateQuestionView {
  @Int() number!: number;
  @Str() text!: string;
  @Strings() guidance!: string[];
}

export class VisitTemplateView {
  @Uuid() id!: string;
  @Str() verksamhetsinriktning!: string;
  @Int() year!: number;
  @Int() version!: number;
  @Str() title!: string;
  @Str() instructions!: string;
  @Strings() preparation!: string[];
  @ListOf(() => TemplateQuestionView) questions!: TemplateQuestionView[];
  @DateTime() createdAt!: string;
}

export class VisitAgreementView {
  @Uuid() id!: string;
  @Str() title!: string;
}

export class VisitTemplateRefView {
  @Uuid() id!: string;
  @Str() verksamhetsinriktning!: string;
  @Int() year!: number;
  @Int() version!: number;
  @Str() title!: string;
}

export class VisitMemberView {
  @Str() name!: string;
  @OneOf(['majority', 'opposition']) side!: string;
  @Str() sideLabel!: string;
}

export class VisitAnswerView {
  @Int() number!: number;
  @Str() question!: string;
  @Strings() guidance!: string[];
  @Str({ nullable: true }) answer!: string | null;
}

export class CommitteeVisitView {
  @Uuid() id!: string;
  @DateOnly() visitDate!: string;
  @Str() verksamhetsinriktning!: string;
  @Nested(() => VisitAgreementView, { nullable: true }) agreement!: VisitAgreementView | null;
  @Nested(() => VisitTemplateRefView) template!: VisitTemplateRefView;
  @ListOf(() => VisitMemberView) members!: VisitMemberView[];
  @Strings() officials!: string[];
  @ListOf(() => VisitAnswerView) answers!: VisitAnswerView[];
  @DateTime() createdAt!: string;
}
