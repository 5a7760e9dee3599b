// A real OpenID provider (npm oidc-provider) on loopback, for kefu's tests only.
// Env: PORT, OIDC_CLIENTS (JSON list of static clients). Prints "ready <issuer>" when listening.
// Accounts: any login; the login is the subject and the email; a login starting with
// "unverified" has email_verified=false. POST /__test/mode?mode=… alters the next token
// response's ID token the way a broken or hostile provider would (wrong_aud, expired,
// tampered, no_nonce), so the client's validation is tested against this provider's own keys.
import Provider from 'oidc-provider';
import * as jose from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: ['kefu-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith('unverified'), name: `User ${id}` };
      },
    };
  },
});

async function alter(idToken, mode) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'tampered') {
    const [header, , signature] = idToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }
  if (mode === 'wrong_aud') claims.aud = 'another-client';
  if (mode === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
  if (mode === 'no_nonce') delete claims.nonce;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }).sign(privateKey);
}

let nextMode = null;
provider.use(async (ctx, next) => {
  if (ctx.path === '/__test/mode') {
    nextMode = ctx.query.mode || null;
    ctx.body = { mode: nextMode };
    return;
  }
  await next();
  if (ctx.path === '/token' && nextMode && ctx.body && ctx.body.id_token) {
    const mode = nextMode;
    nextMode = null;
    ctx.body = { ...ctx.body, id_token: await alter(ctx.body.id_token, mode) };
  }
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
