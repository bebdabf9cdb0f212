import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IntegerColumn } from '@app/common/integer-field';
import { EconomicsDto } from './agreement-terms.dto';

/** One party's contribution under the amended economics. */
export class AmendedContributionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId!: string;

  @ApiProperty({ example: 1980720, description: 'Partens bidrag det år tillägget börjar gälla, hela kronor.' })
  @IntegerColumn('kronor')
  @IsInt({ message: '$property ska vara hela kronor' })
  @Min(0, { message: '$property får inte vara negativt' })
  contributionKr!: number;

  @ApiProperty({ example: 7000, description: 'Andel i hundradels procent: 7000 = 70 %.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett heltal (hundradels procent)' })
  @Min(0, { message: '$property får inte vara negativt' })
  @Max(10000, { message: '$property får vara högst 10000 (100 %)' })
  shareBasisPoints!: number;
}

/** A tillägg: new economics from a coming calendar year, for every party's signatory to agree to. */
export class ProposeAmendmentDto {
  @ApiProperty({ example: 2025, description: 'Första kalenderåret de nya villkoren gäller; ett kommande år inom överenskommelsens giltighet.' })
  @IntegerColumn()
  @IsInt({ message: '$property ska vara ett årtal' })
  @Min(2000, { message: '$property ska vara ett årtal' })
  @Max(2100, { message: '$property ska vara ett årtal' })
  effectiveFromYear!: number;

  @ApiProperty({ example: 'Bilda utökar med en fjärde tjänst.', description: 'Varför villkoren ändras; visas för parterna och sparas i historiken.' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(5000)
  reason!: string;

  @ApiProperty({ type: EconomicsDto, description: 'Kostnaderna det år tillägget börjar gälla, och uppräkningen därefter.' })
  @IsObject({ message: '$property ska vara ett objekt, inte en lista' })
  @ValidateNested()
  @Type(() => EconomicsDto)
  economics!: EconomicsDto;

  @ApiProperty({ type: [AmendedContributionDto], description: 'Varje parts bidrag och andel.' })
  @IsArray({ message: '$property ska vara en lista' })
  @ArrayMinSize(1, { message: '$property ska ha minst ett bidrag' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AmendedContributionDto)
  contributions!: AmendedContributionDto[];

  @ApiPropertyOptional({ description: 'Radversionen du läste; en äldre version avvisas.' })
  @IsOptional()
  @IntegerColumn()
  @IsInt()
  expectedVersion?: number;
}
