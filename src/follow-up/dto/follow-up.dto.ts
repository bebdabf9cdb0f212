import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';
import { DATE_MESSAGE, DATE_PATTERN } from '@app/agreements/dto/agreement-terms.dto';

/** A number of people or places: a whole number, zero or more. */
const nonNegativeCount = (): PropertyDecorator => applyDecorators(IntegerColumn(), IsInt({ message: '$property ska vara ett heltal' }), Min(0, { message: '$property får inte vara negativt' }), Max(100000));

/** A required number, documented. */
const Count = (example: number, description: string): PropertyDecorator => applyDecorators(ApiProperty({ example, description }), nonNegativeCount());

/** Someone who took part in a samverkansgrupp meeting: a person registered in the engine, or a name. */
export class MeetingParticipantDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'En registrerad person (t.ex. samverkansgruppens ledamot).' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  personId?: string;

  @ApiPropertyOptional({ example: 'Anna Berg, Bilda', description: 'Namn och organisation för den som inte är registrerad.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(200)
  name?: string;
}

export class RecordMeetingDto {
  @ApiProperty({ example: '2024-11-12', description: 'Dagen mötet hölls.' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  heldOn!: string;

  @ApiProperty({ type: [MeetingParticipantDto], description: 'Vilka som deltog: parternas företrädare, inte deltagare i verksamheten.' })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMinSize(1, { message: '$property ska ha minst en deltagare' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MeetingParticipantDto)
  participants!: MeetingParticipantDto[];

  @ApiPropertyOptional({ description: 'Anteckningar från mötet. Inga personuppgifter om deltagare i verksamheten.' })
  @IsOptional()
  @IsString({ message: '$property ska vara text' })
  @MaxLength(20000)
  notes?: string;

  @ApiPropertyOptional({ description: 'Radversionen du läste; en äldre version avvisas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt()
  expectedVersion?: number;
}

/** Where the participants went after the activity: numbers of people, never who. */
export class ReportOutcomesDto {
  @Count(9, 'Gick till arbete.')
  work!: number;

  @Count(6, 'Gick till studier.')
  studies!: number;

  @Count(14, 'Gick vidare till en annan insats.')
  otherActivity!: number;

  @Count(11, 'Ingen förändring.')
  noChange!: number;
}

/** The partner's written yearly report: free text and aggregate figures only. */
export class SubmitReportDto {
  @ApiProperty({ example: 2024, description: 'Året rapporten gäller.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett årtal' })
  @Min(2000, { message: '$property ska vara ett årtal' })
  @Max(2100, { message: '$property ska vara ett årtal' })
  year!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Den idéburna part som lämnar rapporten; din egen organisation om den utelämnas.' })
  @IsOptional()
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId?: string;

  @ApiProperty({ description: 'Den skriftliga rapporten om arbetet under året.' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(50000)
  text!: string;

  @Count(64, 'Antal deltagare under året.')
  participantsCount!: number;

  @Count(23, 'Antal deltagare som gjort en stegförflyttning enligt GA-modellen.')
  gaProgressCount!: number;

  @ApiProperty({ type: ReportOutcomesDto })
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => ReportOutcomesDto)
  outcomes!: ReportOutcomesDto;

  @Count(38, 'Använda platser (helårsplatser).')
  placesUsed!: number;

  @ApiPropertyOptional({ example: 40, description: 'Avtalade platser; överenskommelsens antal om det utelämnas.' })
  @IsOptional()
  @nonNegativeCount()
  placesAgreed?: number;

  @ApiPropertyOptional({ description: 'Radversionen du läste; en äldre version avvisas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt()
  expectedVersion?: number;
}
