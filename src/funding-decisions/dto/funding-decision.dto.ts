import { PageQueryDto } from '@app/common/paged-query.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { eventDto, objectDto } from '@app/cases/event-dto';
import { AnyObject, DateOnly, Int, ListOf, Str, Uuid, Bool } from '@app/common/view-properties';
import {
  fundingDecisionDefinition,
  PROPOSAL_FIELD,
  type FundingEventFieldValues,
  type FundingPersonEventType,
  type ProposalBody,
} from '@workflows/funding-decision/definition';
import { personEventTypes } from '@workflows/kernel/kernel';

const text = (max: number) => [IsString({ message: '$property ska vara text' }), MaxLength(max, { message: `$property får vara högst ${max} tecken` })];
const Text = (max: number): PropertyDecorator => (target, key) => text(max).forEach((d) => d(target, key));
const Required = (max: number): PropertyDecorator => (target, key) => {
  Text(max)(target, key);
  MinLength(1, { message: '$property får inte vara tom' })(target, key);
};

/** The förslag till beslut as PROPOSAL_FIELD describes it (workflows/funding-decision/definition.ts): one class for POST /funding-decisions and UPDATE_PROPOSAL. */
export const ProposalDto = objectDto(PROPOSAL_FIELD);
export type ProposalDto = ProposalBody;

export class CreateFundingDecisionDto {
  @ApiProperty({ example: 'Bildningsnämnden' })
  @Required(200)
  committee!: string;

  @ApiProperty({ example: 'Arbetsmarknadsinriktade insatser i samarbete med Idrott & Service (LeanLink)' })
  @Required(300)
  title!: string;

  @ApiProperty({ example: 'Utbildningsförvaltningen' })
  @Required(200)
  preparedBy!: string;

  @ApiProperty({ type: ProposalDto })
  @ValidateNested()
  @Type(() => ProposalDto)
  proposal!: ProposalDto;
}

/** The events people send; the clock's and MEETING_RESCHEDULED (PUT /meetings/:id) have their own senders. From the definition. */
export const FUNDING_PERSON_EVENTS: readonly FundingPersonEventType[] = personEventTypes(fundingDecisionDefinition.events) as FundingPersonEventType[];

/** The body of POST /funding-decisions/:id/events, validated as FUNDING_DECISION_EVENT_FIELDS describe each field. */
export class FundingEventDto extends eventDto<FundingPersonEventType, FundingEventFieldValues>(fundingDecisionDefinition, 'FundingEventDto') {}

export class FundingDeadlineView {
  @Str() kind!: string;
  @Str() label!: string;
  @DateOnly() dueDate!: string;
  @Bool() overdue!: boolean;
}

export class FundingDecisionView {
  @Uuid() id!: string;
  @Str() state!: string;
  @Str() stateLabel!: string;
  @Int() rowVersion!: number;
  @Str() title!: string;
  @Str() committee!: string;
  @Str() preparedBy!: string;
  @DateOnly() preparedOn!: string;
  @Int({ format: 'int64' }) amountKr!: number;
  @AnyObject('Förslaget till beslut: belopp, budgetpost, part, period, handläggare, mottagare och uppföljningar.') proposal!: Record<string, unknown>;
  @AnyObject('Sammanträdet ärendet står (eller stod senast) på dagordningen till.', { nullable: true }) agenda!: Record<string, unknown> | null;
  @AnyObject('Nämndens beslut.', { nullable: true }) decision!: Record<string, unknown> | null;
  @AnyObject('Återremisser, uppföljningar som hållits och försenade, expediering.') record!: Record<string, unknown>;
  @ListOf(() => FundingDeadlineView) deadlines!: FundingDeadlineView[];
  @DateOnly({ nullable: true }) expeditedOn!: string | null;
}

export class FundingTransitionView {
  @Uuid() id!: string;
  @Str() eventType!: string;
  @Str() from!: string;
  @Str() to!: string;
  @Int() rowVersion!: number;
}

export class ListFundingDecisionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'in_progress' })
  @IsOptional()
  @Text(40)
  state?: string;
}
