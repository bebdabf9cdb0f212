import { PageQueryDto } from '@app/common/paged-query.decorator';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';
import { DATE_MESSAGE, DATE_PATTERN } from '@app/agreements/dto/agreement-terms.dto';
import { SIDES, type Side } from '../visits.repository';

const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Text that must be there: trimmed, not blank, at most `max` characters. */
function RequiredText(max: number, emptyMessage = '$property får inte vara tom'): PropertyDecorator {
  return applyDecorators(
    Transform(trimmed),
    IsString({ message: '$property ska vara text' }),
    IsNotEmpty({ message: emptyMessage }),
    MaxLength(max, { message: `$property får vara högst ${max} tecken` }),
  );
}
const YEAR_MESSAGE = '$property ska vara ett årtal 2000–2100';

export class TemplateQuestionDto {
  @ApiProperty({ example: 'Hur ser arbetet med handlingsplaner ut?' })
  @RequiredText(2000, '$property får inte vara tom: skriv frågan')
  text!: string;

  @ApiPropertyOptional({ type: [String], description: 'Stödfrågor under huvudfrågan.' })
  @IsOptional()
  @IsArray({ message: '$property ska vara en lista med text' })
  @ArrayMaxSize(20, { message: '$property får ha högst 20 stödfrågor' })
  @IsString({ each: true, message: '$property ska vara en lista med text' })
  @IsNotEmpty({ each: true, message: '$property får inte innehålla tomma stödfrågor' })
  @MaxLength(2000, { each: true, message: '$property: en stödfråga får vara högst 2000 tecken' })
  guidance?: string[];
}

/** A new template, or next year's version of one (same verksamhetsinriktning): templates are never changed. */
export class CreateVisitTemplateDto {
  @ApiProperty({ example: 'Arbetslik aktivitet' })
  @RequiredText(200, '$property får inte vara tom: ange vilken verksamhetsinriktning mallen gäller')
  verksamhetsinriktning!: string;

  @ApiProperty({ example: 2023, description: 'Året mallen används för.' })
  @IntegerColumn()
  @IsInt({ message: YEAR_MESSAGE })
  @Min(2000, { message: YEAR_MESSAGE })
  @Max(2100, { message: YEAR_MESSAGE })
  year!: number;

  @ApiPropertyOptional({ example: 'Dokumentationsmall nämndbesök; Arbetslik aktivitet' })
  @IsOptional()
  @RequiredText(300)
  title?: string;

  @ApiPropertyOptional({ description: 'Hur besöken genomförs: vilka som deltar, vem som leder, vem som för anteckningar.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(5000, { message: '$property får vara högst 5000 tecken' })
  instructions?: string;

  @ApiPropertyOptional({ type: [String], description: 'Underlag inför besöken.' })
  @IsOptional()
  @IsArray({ message: '$property ska vara en lista med text' })
  @ArrayMaxSize(20, { message: '$property får ha högst 20 rader' })
  @IsString({ each: true, message: '$property ska vara en lista med text' })
  @IsNotEmpty({ each: true, message: '$property får inte innehålla tomma rader' })
  preparation?: string[];

  @ApiProperty({ type: [TemplateQuestionDto], description: 'Frågorna i den ordning de står i mallen.' })
  @IsArray({ message: '$property ska vara en lista med frågor' })
  @ArrayMinSize(1, { message: '$property: mallen behöver minst en fråga' })
  @ArrayMaxSize(50, { message: '$property får ha högst 50 frågor' })
  @ValidateNested({ each: true })
  @Type(() => TemplateQuestionDto)
  questions!: TemplateQuestionDto[];
}

export class ListVisitTemplatesQuery {
  @ApiPropertyOptional({ example: 'Arbetslik aktivitet' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(200, { message: '$property får vara högst 200 tecken' })
  verksamhetsinriktning?: string;
}

export class VisitMemberDto {
  @ApiProperty({ example: 'Anna Ledamot' })
  @RequiredText(200, '$property får inte vara tom: ange ledamotens namn')
  name!: string;

  @ApiProperty({ enum: SIDES, description: 'majority (majoriteten) eller opposition (oppositionen).' })
  @IsIn(SIDES, { message: '$property ska vara majority (majoriteten) eller opposition (oppositionen)' })
  side!: Side;
}

export class VisitAnswerDto {
  @ApiProperty({ example: 1, description: 'Frågans nummer i mallen, 1 för den första.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara frågans nummer i mallen (1, 2, 3 …)' })
  @Min(1, { message: '$property ska vara frågans nummer i mallen (1, 2, 3 …)' })
  question!: number;

  @ApiProperty({ example: 'Varje deltagare har en koordinator som följer upp handlingsplanen.' })
  @RequiredText(20000, '$property får inte vara tomt: utelämna frågan om den inte besvarades')
  answer!: string;
}

export class CreateCommitteeVisitDto {
  @ApiProperty({ format: 'uuid', description: 'Mallversionen besöket dokumenteras på.' })
  @IsUUID('all', { message: '$property ska vara mallens id (uuid)' })
  templateId!: string;

  @ApiProperty({ example: '2023-06-07' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  visitDate!: string;

  @ApiPropertyOptional({ example: 'Arbetslik aktivitet', description: 'Standard: mallens verksamhetsinriktning.' })
  @IsOptional()
  @RequiredText(200)
  verksamhetsinriktning?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Överenskommelsen som besöktes, om besöket gällde en IOP.' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara överenskommelsens id (uuid)' })
  agreementId?: string;

  @ApiProperty({ type: [VisitMemberDto], description: 'Deltagande ledamöter, från majoriteten och oppositionen.' })
  @IsArray({ message: '$property ska vara en lista med ledamöter' })
  @ArrayMinSize(1, { message: '$property: ange de ledamöter som deltog' })
  @ArrayMaxSize(30, { message: '$property får ha högst 30 ledamöter' })
  @ValidateNested({ each: true })
  @Type(() => VisitMemberDto)
  members!: VisitMemberDto[];

  @ApiProperty({ type: [String], example: ['Karin Ek'], description: 'Deltagande tjänstepersoner.' })
  @IsArray({ message: '$property ska vara en lista med namn' })
  @ArrayMinSize(1, { message: '$property: ange minst en tjänsteperson (den som för anteckningar)' })
  @ArrayMaxSize(30, { message: '$property får ha högst 30 tjänstepersoner' })
  @IsString({ each: true, message: '$property ska vara en lista med namn' })
  @IsNotEmpty({ each: true, message: '$property får inte innehålla tomma namn' })
  @MaxLength(200, { each: true, message: '$property: ett namn får vara högst 200 tecken' })
  officials!: string[];

  @ApiProperty({ type: [VisitAnswerDto], description: 'Svar per fråga i mallen; en fråga som inte besvarades utelämnas.' })
  @IsArray({ message: '$property ska vara en lista med svar' })
  @ArrayMaxSize(50, { message: '$property får ha högst 50 svar' })
  @ValidateNested({ each: true })
  @Type(() => VisitAnswerDto)
  answers!: VisitAnswerDto[];
}

export class ListVisitsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 2023 })
  @IsOptional()
  @Type(() => Number)
  @IntegerColumn()
  @IsInt({ message: YEAR_MESSAGE })
  @Min(2000, { message: YEAR_MESSAGE })
  @Max(2100, { message: YEAR_MESSAGE })
  year?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara överenskommelsens id (uuid)' })
  agreementId?: string;
}
