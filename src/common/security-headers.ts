import type { RequestHandler } from 'express';
import helmet from 'helmet';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The pages' policy: our own script and stylesheet only (no inline code), never framed. */
function policy(https: boolean, relaxed: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Swagger UI's own page has an inline <style>; only /api/docs gets it.
    'style-src': relaxed ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': https ? [] : null,
  };
}

function helmetFor(https: boolean, relaxed: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: policy(https, relaxed) },
    // HSTS only where the service is reached over https: on plain http it would lock a browser out.
    strictTransportSecurity: https ? { maxAge: ONE_YEAR_SECONDS, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    // Swagger UI and the PDF viewer load nothing from other origins, but cross-origin isolation is not needed.
    crossOriginEmbedderPolicy: false,
  }) as RequestHandler;
}

/**
 * Security headers on every answer, and `Cache-Control: no-store` on everything but the public
 * assets, so no agreement, export or mail stays in a browser's cache after signing out
 * (routes that may be cached, the assets, set their own Cache-Control afterwards).
 */
export function securityHeaders(publicBaseUrl: string): RequestHandler[] {
  const https = publicBaseUrl.toLowerCase().startsWith('https:');
  const strict = helmetFor(https, false);
  const docs = helmetFor(https, true);
  const headers: RequestHandler = (req, res, next) => (req.path.startsWith('/api/docs') ? docs : strict)(req, res, next);
  const noStore: RequestHandler = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
  return [headers, noStore];
}
