import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PAGE_SIZE } from './paging';

/** The query of a paged list, read by pageRequestOf. */
export interface PageQuery {
  limit?: string;
  after?: string;
}

/** Documents a paged list's `limit` and `after`, and its `Link` header, in the OpenAPI document. */
export function PagedQuery(): MethodDecorator {
  return applyDecorators(
    ApiQuery({ name: 'limit', required: false, description: `Rader per sida, ${PAGE_SIZE.default} om inget anges, högst ${PAGE_SIZE.max}.` }),
    ApiQuery({
      name: 'after',
      required: false,
      description: 'Sidmarkören: finns fler rader pekar svarets rubrik Link: <…>; rel="next" på nästa sida (RFC 8288); den saknas på sista sidan.',
    }),
  );
}

/** The page parameters in a list's query DTO (the strict pipe lets only declared fields through); pageRequestOf checks them. */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({ description: `Rader per sida, ${PAGE_SIZE.default} om inget anges, högst ${PAGE_SIZE.max}.` })
  @IsOptional()
  @IsString({ message: 'limit ska vara ett heltal' })
  limit?: string;

  @ApiPropertyOptional({ description: 'Sidmarkören ur förra sidans Link-rubrik (rel="next").' })
  @IsOptional()
  @IsString({ message: 'after ska vara en sidmarkör' })
  after?: string;
}
