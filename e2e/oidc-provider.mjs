// A real OpenID Connect provider for the browser tests: npm `oidc-provider`
// (an OpenID-certified implementation) on loopback, with its development
// sign-in form (any login name, any password). Each login name is an account
// whose claims name an organisation (the `organisation` claim, in the
// `profile` scope), so tests choose who signs in by the name they type.
//
// `tamper.idToken = true` makes the provider's token endpoint answer with an
// ID token whose payload was altered after signing (a token an attacker
// changed on the way): the portal must refuse it.

import Provider from 'oidc-provider';

/** The organisation each test login belongs to (anything else: KAIST). */
export const ORGANISATIONS = {
  stranger: 'Unheard-of Institute of Things',
  nhn: 'NHN Cloud',
};

/**
 * Starts the provider on `127.0.0.1:port` for the portal at `portalUrl`
 * (client `kairr`, secret `kairr-secret`, redirect to provider id `uni`).
 * Returns `{ issuer, tamper, stop() }`.
 */
export async function startProvider({ port, portalUrl, providerId = 'uni' }) {
  const issuer = `http://127.0.0.1:${port}`;
  const tamper = { idToken: false };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'kairr',
        client_secret: 'kairr-secret',
        redirect_uris: [`${portalUrl}/api/v1/auth/oidc/${providerId}/callback`],
        post_logout_redirect_uris: [`${portalUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'organisation'],
      email: ['email', 'email_verified'],
    },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            name: `Test ${id}`,
            preferred_username: id,
            email: `${id}@example.ac.kr`,
            email_verified: true,
            organisation: ORGANISATIONS[id] ?? 'KAIST',
          };
        },
      };
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
  });
  // Test hook: alter the ID token's payload after the provider signed it.
  provider.use(async (ctx, next) => {
    await next();
    if (tamper.idToken && ctx.path === '/token' && ctx.body && typeof ctx.body === 'object' && ctx.body.id_token) {
      const [header, payload, signature] = ctx.body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      claims.sub = 'admin';
      ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.') };
    }
  });
  const server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    tamper,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
