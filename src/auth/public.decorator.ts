import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'iop:public-route';

/**
 * The guard leaves the route alone: no actor is resolved, so an Authorization header meant for the
 * route itself (e.g. /metrics' own bearer token) is not taken for an API token. The handler checks access.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
