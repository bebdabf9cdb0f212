import { ApiProperty } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ACCOUNT_ROLES, type AccountRole } from '@app/audit/actor';
import { MIN_PASSWORD_LENGTH } from '../accounts.service';

export class SetRolesDto {
  @ApiProperty({ isArray: true, enum: ACCOUNT_ROLES, example: ['signatory'] })
  @IsArray({ message: 'roles ska vara en lista' })
  @ArrayUnique({ message: 'roles får inte innehålla samma roll två gånger' })
  @IsIn(ACCOUNT_ROLES, { each: true, message: `roles får bara innehålla ${ACCOUNT_ROLES.join(', ')}` })
  roles!: AccountRole[];
}

export class SetPasswordDto {
  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH })
  @IsString({ message: 'password ska vara en text' })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password ska ha minst ${MIN_PASSWORD_LENGTH} tecken` })
  @MaxLength(1024, { message: 'password är för långt' })
  password!: string;
}

export class SetDisabledDto {
  @ApiProperty({ description: 'true stänger av kontot (alla sessioner och token slutar gälla), false öppnar det igen' })
  @IsBoolean({ message: 'disabled ska vara true eller false' })
  disabled!: boolean;
}
