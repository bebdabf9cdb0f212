import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Max, Min } from 'class-validator';

/** PostgreSQL integer (int4), the column type of every count, version, year and basis-point field. */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;
/** Money columns are bigint, but a sum of a trillion kronor is a typing error, and stays exact in a JS number. */
export const KRONOR_MAX = 999_999_999_999;

/**
 * An integer field's column range and its OpenAPI type (`integer`, not `number`). Goes next to the
 * field's own @IsInt and @ApiProperty, whose narrower bounds and texts still apply.
 */
export function IntegerColumn(kind: 'int4' | 'kronor' = 'int4'): PropertyDecorator {
  const max = kind === 'kronor' ? KRONOR_MAX : INT4_MAX;
  return applyDecorators(
    // No `required` here: the field's own ApiProperty/ApiPropertyOptional decides that.
    ApiProperty({ type: 'integer', format: kind === 'kronor' ? 'int64' : 'int32' }),
    Min(kind === 'kronor' ? -max : INT4_MIN, { message: `$property är för litet` }),
    Max(max, { message: `$property får vara högst ${max}` }),
  );
}
