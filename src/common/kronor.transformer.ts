import type { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; kronor stay far below 2^53, so a number is exact. */
export const kronorTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** The same for a bigint[] column. */
export const kronorArrayTransformer: ValueTransformer = {
  to: (value: number[] | null | undefined) => value,
  from: (value: string[] | null) => (value === null ? null : value.map(Number)),
};
