import { PageQueryDto } from '@app/common/paged-query.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { DATE_MESSAGE, DATE_PATTERN } from '@app/agreements/dto/agreement-terms.dto';
import { IntegerColumn } from '@app/common/integer-field';
import { AnyObject, DateOnly, Int, ListOf, Str, Uuid, Bool } from '@app/common/view-properties';
import { DECISION_OUTCOMES, FOLLOW_UP_KINDS } from '@workflows/funding-decision/types';

const text = (max: number) => [IsString({ message: '$property ska vara text' }), MaxLength(max, { message: `$property får vara högst ${max} tecken` })];
const Text = (max: number): PropertyDecorator => (target, key) => text(max).forEach((d) => d(target, key));
const Required = (max: number): PropertyDecorator => (target, key) => {
  Text(max)(target, key);
  MinLength(1, { message: '$property får inte vara tom' })(target, key);
};

export class PartnerDto {
  @ApiProperty({ format: 'uuid', description: 'Organisationen som medlen går till (finns i organisationsregistret)' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId!: string;
}

export class PeriodDto {
  @ApiProperty({ example: '2018-06-01' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  startDate!: string;

  @ApiProperty({ example: '2018-12-31' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  endDate!: string;
}

export class OfficialDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Personen i registret; bara då kan handläggaren agera i ärendet och få påminnelser' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  personId?: string;

  @ApiProperty({ example: 'Anne Hallberg' })
  @Required(200)
  name!: string;
}

export class RecipientDto {
  @ApiProperty({ example: 'Arbetsförmedlingen' })
  @Required(200)
  name!: string;

  @ApiPropertyOptional({ example: 'registrator@example.se', description: 'Utan adress expedieras beslutet på annat sätt (kansliet får en lista)' })
  @IsOptional()
  @IsEmail({}, { message: '$property ska vara en e-postadress' })
  @MaxLength(254, { message: '$property får vara högst 254 tecken' })
  email?: string;
}

export class FollowUpDto {
  @ApiProperty({ example: 'muntlig-avstamning-september' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: '$property får bara ha små bokstäver a–z, siffror och bindestreck' })
  key!: string;

  @ApiProperty({ enum: FOLLOW_UP_KINDS })
  @IsIn(FOLLOW_UP_KINDS, { message: `$property ska vara en av: ${FOLLOW_UP_KINDS.join(', ')}` })
  kind!: (typeof FOLLOW_UP_KINDS)[number];

  @ApiProperty({ example: 'bin-2018-09', description: 'Sammanträdet i sammanträdesplanen där uppföljningen redovisas' })
  @Required(64)
  meetingId!: string;
}

export class ProposalDto {
  @ApiProperty({ example: 'Bildningsnämnden beviljar medel till genomförande av arbetsmarknadsinriktade insatser.' })
  @Required(5000)
  summary!: string;

  @ApiProperty({ example: 530000 })
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(1, { message: '$property måste vara större än noll' })
  amountKr!: number;

  @ApiProperty({ example: 'Arbetsmarknadsinsatser' })
  @Required(200)
  budgetLine!: string;

  @ApiProperty({ type: PartnerDto })
  @ValidateNested()
  @Type(() => PartnerDto)
  partner!: PartnerDto;

  @ApiProperty({ type: PeriodDto })
  @ValidateNested()
  @Type(() => PeriodDto)
  period!: PeriodDto;

  @ApiProperty({ type: [OfficialDto] })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMinSize(1, { message: 'Minst en ansvarig handläggare behövs' })
  @ArrayMaxSize(20, { message: '$property får ha högst 20 rader' })
  @ValidateNested({ each: true })
  @Type(() => OfficialDto)
  officials!: OfficialDto[];

  @ApiProperty({ type: [RecipientDto] })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMaxSize(50, { message: '$property får ha högst 50 rader' })
  @ValidateNested({ each: true })
  @Type(() => RecipientDto)
  recipients!: RecipientDto[];

  @ApiProperty({ type: [FollowUpDto] })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMaxSize(20, { message: '$property får ha högst 20 rader' })
  @ValidateNested({ each: true })
  @Type(() => FollowUpDto)
  followUps!: FollowUpDto[];
}

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

/** The events people send; the clock's and MEETING_RESCHEDULED (PUT /meetings/:id) have their own senders. */
export const FUNDING_PERSON_EVENTS = ['UPDATE_PROPOSAL', 'PLACE_ON_AGENDA', 'TAKE_OFF_AGENDA', 'DECIDE', 'REFER_BACK', 'WITHDRAW', 'RECORD_FOLLOW_UP', 'SEND_DECISION'] as const;

export class FundingEventDto {
  @ApiProperty({ enum: FUNDING_PERSON_EVENTS })
  @IsIn(FUNDING_PERSON_EVENTS, { message: `$property ska vara en av: ${FUNDING_PERSON_EVENTS.join(', ')}` })
  type!: (typeof FUNDING_PERSON_EVENTS)[number];

  @ApiPropertyOptional({ type: ProposalDto, description: 'UPDATE_PROPOSAL' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProposalDto)
  proposal?: ProposalDto;

  @ApiPropertyOptional({ example: 'bin-2018-06', description: 'PLACE_ON_AGENDA: sammanträdet' })
  @IsOptional()
  @Text(64)
  meetingId?: string;

  @ApiPropertyOptional({ enum: DECISION_OUTCOMES, description: 'DECIDE' })
  @IsOptional()
  @IsIn(DECISION_OUTCOMES, { message: `$property ska vara en av: ${DECISION_OUTCOMES.join(', ')}` })
  outcome?: (typeof DECISION_OUTCOMES)[number];

  @ApiPropertyOptional({ example: '§ 87', description: 'DECIDE: protokollets paragraf' })
  @IsOptional()
  @Text(50)
  paragraph?: string;

  @ApiPropertyOptional({ description: 'TAKE_OFF_AGENDA, REFER_BACK, WITHDRAW: skälet' })
  @IsOptional()
  @Text(2000)
  reason?: string;

  @ApiPropertyOptional({ example: 'muntlig-avstamning-september', description: 'RECORD_FOLLOW_UP: uppföljningens nyckel' })
  @IsOptional()
  @Text(64)
  key?: string;

  @ApiPropertyOptional({ example: '2018-09-25', description: 'RECORD_FOLLOW_UP: dagen den hölls eller redovisades' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  heldOn?: string;

  @ApiPropertyOptional({ description: 'RECORD_FOLLOW_UP: anteckning' })
  @IsOptional()
  @Text(2000)
  note?: string;

  @ApiPropertyOptional({ description: 'Radversionen du läste; en annan aktuell version avvisas' })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  expectedVersion?: number;
}

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
