import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

export const IDEMPOTENT = 'iop:idempotent';

export interface IdempotentOptions {
  /**
   * False for answers that hold a secret shown only once (API tokens, calendar links): the secret is
   * not stored, and a repeated key answers 409 instead of showing it again.
   */
  storeBody?: boolean;
}

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** A creating POST: with an Idempotency-Key header, a retry gets the first answer instead of a second create. */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, { storeBody: true, ...options }),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        'Valfri nyckel (1–200 tecken) per begäran. Samma nyckel och samma innehåll inom 24 timmar ger det första svaret igen; samma nyckel med annat innehåll ger 422; pågår den första ger det 409 med Retry-After.',
    }),
  );
