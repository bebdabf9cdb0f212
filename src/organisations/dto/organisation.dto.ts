import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsOrganisationNumber } from '../is-organisation-number.decorator';
import { normaliseOrganisationNumber } from '../organisation-number';

export class CreateOrganisationDto {
  @ApiProperty({ example: 'Linköpings Stadsmission' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '822001-0022', description: 'Organisationsnummer, kontrollsiffran kontrolleras.' })
  @IsOrganisationNumber()
  @Transform(({ value }: { value: unknown }) => normaliseOrganisationNumber(value))
  organisationNumber!: string;

  @ApiProperty({ enum: ['municipality', 'civil_society'] })
  @IsIn(['municipality', 'civil_society'], { message: '$property ska vara municipality (kommun) eller civil_society (idéburen organisation)' })
  kind!: 'municipality' | 'civil_society';
}

export class CreatePersonDto {
  @ApiProperty({ example: 'Sanna Detlefsen' })
  @IsString({ message: '$property ska vara text' })
  @IsNotEmpty({ message: '$property får inte vara tom' })
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'sanna.detlefsen@example.se' })
  @IsEmail({}, { message: '$property ska vara en e-postadress' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  email!: string;

  @ApiPropertyOptional({ example: 'verksamhetschef' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: '$property ska vara ett uuid' })
  organisationId!: string;
}
