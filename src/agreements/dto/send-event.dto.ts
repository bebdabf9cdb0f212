import { PageQueryDto } from '@app/common/paged-query.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';
import { TERMINATION_GROUNDS } from '@workflows/agreement/types';
import { DATE_MESSAGE, DATE_PATTERN } from './agreement-terms.dto';

/**
 * Events people send here; the clock's events, UPDATE_TERMS (PUT /agreements/:id), PROPOSE_AMENDMENT
 * (POST /agreements/:id/amendments) and the follow-up records (/agreements/:id/follow-up) have their own paths.
 */
export const PERSON_EVENT_TYPES = [
  'ACCEPT_INITIATIVE',
  'DECLINE_INITIATIVE',
  'SEND_FOR_SIGNING',
  'SIGN',
  'RETURN_TO_DRAFT',
  'CONSENT_TO_EXTENSION',
  'REFUSE_EXTENSION',
  'CONSENT_TO_TERMINATION',
  'DECLARE_TERMINATION',
  'RECORD_SETTLEMENT',
  'AGREE_TO_AMENDMENT',
  'REFUSE_AMENDMENT',
  'WITHDRAW_AMENDMENT',
] as const;
export type PersonEventType = (typeof PERSON_EVENT_TYPES)[number];

export class SettlementLineDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId!: string;

  @ApiProperty({ example: 150000 })
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(0, { message: '$property får inte vara negativt' })
  amountKr!: number;
}

export class SendEventDto {
  @ApiProperty({ enum: PERSON_EVENT_TYPES })
  @IsIn(PERSON_EVENT_TYPES, { message: `$property ska vara en av: ${PERSON_EVENT_TYPES.join(', ')}` })
  type!: PersonEventType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Parten som signerar, samtycker, godkänner eller avböjer.' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId?: string;

  @ApiPropertyOptional({ description: 'Skäl: krävs för avböjande, återföring, hävning och för att avböja eller dra tillbaka ett tillägg.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(5000)
  reason?: string;

  @ApiPropertyOptional({ enum: TERMINATION_GROUNDS })
  @IsOptional()
  @IsIn(TERMINATION_GROUNDS, { message: `$property ska vara en av: ${TERMINATION_GROUNDS.join(', ')}` })
  ground?: (typeof TERMINATION_GROUNDS)[number];

  @ApiPropertyOptional({ description: "Parten som häver (organisations-id) eller 'secretariat'." })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  declaredBy?: string;

  @ApiPropertyOptional({ type: [SettlementLineDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SettlementLineDto)
  lines?: SettlementLineDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;

  @ApiPropertyOptional({ description: 'Radversionen du läste; en äldre version avvisas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt()
  expectedVersion?: number;
}

export class ListAgreementsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: "Tillstånd, t.ex. 'active' eller 'extensionDecision.overdue'." })
  @IsOptional()
  @IsString()
  state?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Part (organisations-id).' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  partner?: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Nästa bevakningsdatum före detta datum.' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  deadlineBefore?: string;
}
