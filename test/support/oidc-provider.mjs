/**
 * A real OpenID provider (the `oidc-provider` package) in its own process, for test/oidc.e2e.spec.ts.
 * It is an ES module, which Jest on Node 20 cannot require; run as a separate process it is also a
 * genuine peer: its own keys, cookies and HTTP server, reached only over loopback HTTP.
 *
 * Environment (all required):
 *   OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET, OIDC_TEST_REDIRECT_URI  the one registered client
 *   OIDC_TEST_ACCOUNTS  JSON: { "<login = sub>": { "email": "…", "email_verified": true, "userinfoOnly": false } }
 *
 * Listens on a free loopback port and prints `listening <issuer>` on stdout once it accepts requests.
 * Sign-in uses the package's own development interactions: a login form (any password) and a consent
 * form. An account with `userinfoOnly` leaves email out of its ID token (as a strictly conforming
 * provider does), so the client has to ask the userinfo endpoint.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';

function required(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} saknas\n`);
    process.exit(2);
  }
  return value;
}

const clientId = required('OIDC_TEST_CLIENT_ID');
const clientSecret = required('OIDC_TEST_CLIENT_SECRET');
const redirectUri = required('OIDC_TEST_REDIRECT_URI');
const accounts = JSON.parse(required('OIDC_TEST_ACCOUNTS'));

// The issuer contains the port, and the port is known only once the server listens: start the
// server first and hand requests to the provider once it exists.
let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // Scope claims go into the ID token too (what municipal providers usually do), unless the account says otherwise.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims(use) {
        const claims = { sub };
        if (use === 'id_token' && account.userinfoOnly) return claims;
        if (account.email !== undefined) claims.email = account.email;
        if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
        return claims;
      },
    };
  },
});
// Failures show on stderr so a failing test can print them.
provider.on('server_error', (_ctx, error) => process.stderr.write(`server_error: ${error.stack ?? error}\n`));

handler = provider.callback();
process.stdout.write(`listening ${issuer}\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // the test's keep-alive connections would otherwise hold close() open
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
