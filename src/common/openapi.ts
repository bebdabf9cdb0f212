import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '@app/auth/secrets';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

/** Answered without signing in; everything else takes the session cookie or an API token. */
const PUBLIC_OPERATIONS = [/^get \/health/, /^post \/auth\/login$/, /^get \/auth\/oidc\//, /^get \/calendar\.ics$/];

const ERROR_REF = { $ref: '#/components/schemas/Error' };

/** The one error body every failure has (DomainErrorFilter and the input limits). */
const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', description: 'Maskinläsbar kod, t.ex. validation_failed, not_found, conflict, payload_too_large.', example: 'validation_failed' },
    message: { type: 'string', description: 'Beskrivning på svenska.', example: 'Uppgifterna är inte giltiga.' },
    problems: {
      type: 'array',
      description: 'Vid validation_failed: varje fel fält.',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string', example: 'places' }, message: { type: 'string', example: 'places får vara högst 2147483647' } } },
    },
  },
  additionalProperties: true,
} as const;

const ERRORS: Record<string, string> = {
  '400': 'Ogiltiga uppgifter, fält för fält, eller innehåll som inte kunde läsas.',
  '401': 'Inte inloggad, eller sessionen eller token har slutat gälla.',
  '403': 'Inloggad men utan behörighet.',
  '404': 'Finns inte, eller får inte ses.',
  '409': 'Händelsen är inte tillåten i tillståndet, en äldre radversion, eller uppgiften finns redan.',
  '413': 'Innehållet är för stort.',
  '422': 'Idempotency-Key har redan använts med ett annat innehåll.',
  '415': 'Teckenkodning (bara utf-8) eller komprimering (okomprimerat, gzip, deflate) stöds inte.',
  '429': 'För många försök: vänta så många sekunder som Retry-After säger.',
  '503': 'Databasen eller en annan nödvändig tjänst svarar inte just nu.',
};

/** Which errors an operation can answer: from how it is reached, since the handlers do not declare them. */
function errorCodesOf(method: string, path: string, isPublic: boolean): string[] {
  const codes = ['400'];
  if (!isPublic) codes.push('401', '403');
  if (path.includes('{') || !isPublic) codes.push('404');
  if (['post', 'put', 'patch', 'delete'].includes(method)) codes.push('409');
  if (['post', 'put', 'patch'].includes(method)) codes.push('413', '415');
  if (path === '/auth/login') codes.push('429');
  codes.push('503');
  return codes;
}

/**
 * What the decorators cannot say once for all: security schemes, the shared error schema and the
 * error answers of every operation. Success answers declare their own schema on the controller
 * (@ApiOkResponse with a *View class, or a file's media type); none is invented here.
 */
export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components };
  doc.components.securitySchemes = {
    session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Sessionen från inloggningen (POST /auth/login eller webbens inloggning).' },
    bearer: { type: 'http', scheme: 'bearer', description: 'En API-token (POST /auth/tokens) för integrationer.' },
  };
  doc.components.schemas = { ...doc.components.schemas, Error: ERROR_SCHEMA as never };
  doc.security = [{ session: [] }, { bearer: [] }];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op: Operation | undefined = item[method];
      if (!op) continue;
      const isPublic = PUBLIC_OPERATIONS.some((p) => p.test(`${method} ${path}`));
      if (isPublic) op.security = [];
      // An operation taking Idempotency-Key (see @Idempotent) can answer 422 for a reused key.
      const idempotent = (op.parameters ?? []).some((p) => 'name' in p && p.name === 'Idempotency-Key');
      for (const code of [...errorCodesOf(method, path, isPublic), ...(idempotent ? ['422'] : [])]) {
        op.responses[code] ??= { description: ERRORS[code], content: { 'application/json': { schema: ERROR_REF } } };
      }
    }
  }
  return doc;
}

/** OpenAPI generated from the controllers and DTOs, served at /api/docs (JSON at /api/docs-json). */
export function setUpOpenApi(app: INestApplication, publicBaseUrl: string): void {
  const config = new DocumentBuilder()
    .setTitle('IOP-motorn')
    .setDescription('Idéburet offentligt partnerskap: överenskommelser från initiativ till utgång eller hävning.')
    .setVersion('1')
    .addServer(publicBaseUrl)
    .build();
  SwaggerModule.setup('api/docs', app, () => completeDocument(SwaggerModule.createDocument(app, config)), { jsonDocumentUrl: 'api/docs-json' });
}
