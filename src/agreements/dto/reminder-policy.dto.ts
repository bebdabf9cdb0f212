import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';

/** How long before (or after) a date a reminder goes out; all zero means on the day. */
export class ReminderOffsetDto {
  @ApiPropertyOptional({ example: 6 })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(36, { message: '$property får vara högst 36' })
  months?: number;

  @ApiPropertyOptional({ example: 1 })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(52, { message: '$property får vara högst 52' })
  weeks?: number;

  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(365, { message: '$property får vara högst 365' })
  days?: number;
}

const offsets = (description: string) => [
  ApiPropertyOptional({ type: [ReminderOffsetDto], description }),
  IsOptional(),
  IsArray({ message: '$property ska vara en lista' }),
  ArrayMaxSize(12, { message: '$property får ha högst 12 påminnelser' }),
  ValidateNested({ each: true }),
  Type(() => ReminderOffsetDto),
];

function apply(decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** Per-agreement overrides of the reminder policy; a list left out keeps the default. */
export class ReminderPolicyDto {
  @apply(offsets('Före beslutsdagen för förlängning.'))
  decisionDueBefore?: ReminderOffsetDto[];

  @apply(offsets('Efter en passerad beslutsdag, till nämndkansliet.'))
  overdueEscalationAfter?: ReminderOffsetDto[];

  @apply(offsets('Före slutdatum när ingen förlängning återstår.'))
  newAgreementNeededBefore?: ReminderOffsetDto[];

  @apply(offsets('Efter att överenskommelsen skickats för signering, till den som inte signerat.'))
  signatureMissingAfter?: ReminderOffsetDto[];

  @apply(offsets('Före en uppföljningsplikt (möte, årsrapport), till samverkansgruppen och nämndkansliet.'))
  followUpDueBefore?: ReminderOffsetDto[];

  @apply(offsets('Efter att en uppföljningsplikt blivit försenad, till nämndkansliet.'))
  followUpOverdueAfter?: ReminderOffsetDto[];
}
