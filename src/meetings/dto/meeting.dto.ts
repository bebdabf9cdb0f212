import { PageQueryDto } from '@app/common/paged-query.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DATE_MESSAGE, DATE_PATTERN } from '@app/agreements/dto/agreement-terms.dto';
import { DateOnly, Int, Str } from '@app/common/view-properties';

export class MeetingDatesDto {
  @ApiProperty({ example: '2018-09-25', description: 'Sammanträdets dag' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  date!: string;

  @ApiProperty({ example: '2018-09-11', description: 'Sista dag för underlag till sammanträdet' })
  @Matches(DATE_PATTERN, { message: DATE_MESSAGE })
  papersDueOn!: string;
}

export class CreateMeetingDto extends MeetingDatesDto {
  @ApiProperty({ example: 'bin-2018-09', description: 'Sammanträdets id: små bokstäver, siffror och bindestreck' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'meetingId får bara ha små bokstäver a–z, siffror och bindestreck (högst 64 tecken)' })
  meetingId!: string;

  @ApiProperty({ example: 'Bildningsnämnden' })
  @IsString({ message: 'committee ska vara text' })
  @MinLength(1, { message: 'committee får inte vara tom' })
  @MaxLength(200, { message: 'committee får vara högst 200 tecken' })
  committee!: string;
}

export class ListMeetingsQuery extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Bildningsnämnden' })
  @IsOptional()
  @IsString({ message: 'committee ska vara text' })
  @MaxLength(200, { message: 'committee får vara högst 200 tecken' })
  committee?: string;

  @ApiPropertyOptional({ example: 2018 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year ska vara ett år' })
  @Min(2000, { message: 'year ska vara ett år från 2000' })
  @Max(2100, { message: 'year ska vara ett år till 2100' })
  year?: number;
}

export class MeetingView {
  @Str() meetingId!: string;
  @Str() committee!: string;
  @DateOnly() date!: string;
  @DateOnly() papersDueOn!: string;
}

export class MovedMeetingView {
  @Str() meetingId!: string;
  @DateOnly() date!: string;
  @DateOnly() papersDueOn!: string;
  /** How many cases' deadlines moved with it. */
  @Int() casesMoved!: number;
}
