import { IntegerColumn } from '@app/common/integer-field';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'karin.ek@example.se' })
  @IsString({ message: 'email ska vara en text' })
  @MinLength(3, { message: 'email ska vara en e-postadress' })
  @MaxLength(320, { message: 'email är för lång' })
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString({ message: 'password ska vara en text' })
  @MinLength(1, { message: 'password krävs' })
  @MaxLength(1024, { message: 'password är för långt' })
  password!: string;
}

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Ekonomisystemet' })
  @IsString({ message: 'name ska vara en text' })
  @MinLength(1, { message: 'name krävs' })
  @MaxLength(200, { message: 'name är för långt (högst 200 tecken)' })
  name!: string;

  @ApiPropertyOptional({ description: 'Hur många dagar token gäller; högst och som standard API_TOKEN_TTL_DAYS (90)', example: 30 })
  @IsOptional()
  @IntegerColumn()
  @IsInt({ message: 'expiresInDays ska vara ett heltal antal dagar' })
  @Min(1, { message: 'expiresInDays ska vara minst 1' })
  @Max(366, { message: 'expiresInDays får vara högst 366' })
  expiresInDays?: number;
}

