// Credentials in URLs (`https://user:token@host/…`): found to be masked, and redacted wherever a line is
// shown or keyed. A module with no dependency, so that the summary (and post, through it) can scrub
// text without bundling the requirements parser.

/** A URL's scheme and its credentials (user:password, token): up to the last @ before the path, as pip reads it. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^/\s]+)@/gi;

/** Credentials in URLs (user:password@, token@) become ***@. */
export function redact(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

export function hasCredentials(text: string): boolean {
  return redact(text) !== text;
}

/** The credentials in a line's URLs (`user:password`, and the password alone), to be masked in logs. */
export function credentialsIn(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(URL_CREDENTIALS)) {
    const userinfo = m[2]!;
    found.push(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon >= 0 && colon < userinfo.length - 1) found.push(userinfo.slice(colon + 1));
  }
  return found;
}
