import { PageQueryDto } from '@app/common/paged-query.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { eventDto } from '@app/cases/event-dto';
import { agreementDefinition, type AgreementEventFieldValues, type AgreementPersonEventType } from '@workflows/agreement/definition';
import { personEventTypes } from '@workflows/kernel/kernel';
import { DATE_MESSAGE, DATE_PATTERN } from './agreement-terms.dto';

/**
 * Events people send here; the clock's events, UPDATE_TERMS (PUT /agreements/:id), PROPOSE_AMENDMENT
 * (POST /agreements/:id/amendments) and the follow-up records (/agreements/:id/follow-up) have their own paths.
 * Both the list and the body are derived from the agreement's definition (workflows/agreement/definition.ts).
 */
export const PERSON_EVENT_TYPES: readonly AgreementPersonEventType[] = personEventTypes(agreementDefinition.events) as AgreementPersonEventType[];
export type PersonEventType = AgreementPersonEventType;

/** The body of POST /agreements/:id/events, validated as AGREEMENT_EVENT_FIELDS describe each field. */
export class SendEventDto extends eventDto<PersonEventType, AgreementEventFieldValues>(agreementDefinition, 'SendEventDto') {}

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
