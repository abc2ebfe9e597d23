// Runtime tokens for the cache service stand-in: HS256 JWTs whose `ac` claim lists cache scopes, as the
// runner's ACTIONS_RUNTIME_TOKEN does (e.g. [{"Scope":"refs/heads/main","Permission":3}]).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Permission: 1 read, 2 write, 3 both. Scopes are searched in the order given; writes go to the first writable one. */
export interface Scope {
  Scope: string;
  Permission: number;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signToken(scopes: Scope[], secret: Buffer): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url(JSON.stringify({ ac: JSON.stringify(scopes), iat: now, exp: now + 6 * 3600 }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${b64url(signature)}`;
}

/** The token's scopes, or undefined when it is missing, malformed, expired or not signed with `secret`. */
export function scopesFromToken(token: string, secret: Buffer): Scope[] | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { ac?: unknown; exp?: number };
    if (typeof claims.exp === 'number' && claims.exp < Date.now() / 1000) return undefined;
    const ac: unknown = typeof claims.ac === 'string' ? JSON.parse(claims.ac) : claims.ac;
    if (!Array.isArray(ac)) return undefined;
    return ac.filter(
      (s): s is Scope => typeof s === 'object' && s !== null && typeof s.Scope === 'string' && typeof s.Permission === 'number'
    );
  } catch {
    return undefined;
  }
}
