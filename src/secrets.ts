/**
 * The shapes of credentials that must never reach a report, a diagnostic, a log line or an error
 * message, whichever cloud they come from: signed URLs (AWS SigV4 query strings, Azure SAS, Google
 * signed URLs), Authorization headers, bearer tokens and JWTs, OAuth fields, PEM private keys and
 * access key ids. Each collector's scrubber also removes the exact values it handed out; this module
 * is the shared layer under them, and the CLI's last line of defence for unexpected errors.
 */

/** What a removed secret is replaced with. */
export const REDACTED = "[redacted]";

/** Query or form parameters whose value is a signature, a credential or a token. */
const SIGNED_PARAMETER =
  /((?:^|[?&;\s"'(])(?:X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|X-Goog-Signature|X-Goog-Credential|Signature|sig|token|access_token|refresh_token|id_token|client_secret|client_assertion|assertion|password|AWSAccessKeyId)=)[^&\s"'<>)]+/gi;
/** `Authorization: <scheme> <credentials>` as a header line or in a dumped request. */
const AUTHORIZATION_HEADER =
  /(\bauthorization["']?\s*[:=]\s*["']?)(?!Bearer \[redacted\]|\[redacted\])([A-Za-z0-9-]+\s+)?[^\s"',]+/gi;
/** SigV4 credentials inside an Authorization value that was quoted on its own. */
const SIGV4 =
  /AWS4-HMAC-SHA256\s+Credential=[^\s"']+(?:\s*,\s*SignedHeaders=[^\s,"']+)?(?:\s*,\s*Signature=[0-9a-f]+)?/gi;
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const GOOGLE_ACCESS_TOKEN = /\bya29\.[A-Za-z0-9_\-.]{8,}/g;
const AWS_ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
/** JSON or YAML fields that carry a secret value. */
const SECRET_FIELD =
  /(["']?(?:access_token|refresh_token|id_token|client_secret|private_key|secretAccessKey|SecretAccessKey|sessionToken|SessionToken|password)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/g;

/**
 * Returns `text` with every `known` secret value and every credential-shaped substring replaced by
 * {@link REDACTED}. Values shorter than 8 characters are ignored (they would erase ordinary words).
 */
export function redactSecrets(text: string, known: Iterable<string> = []): string {
  let clean = text;
  for (const secret of known) {
    if (secret.length < 8) continue;
    clean = clean.split(secret).join(REDACTED);
    // Signed URLs and form bodies carry the value percent-encoded.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) clean = clean.split(encoded).join(REDACTED);
  }
  return clean
    .replace(PRIVATE_KEY, REDACTED)
    .replace(SIGV4, REDACTED)
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(AUTHORIZATION_HEADER, `$1$2${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(GOOGLE_ACCESS_TOKEN, REDACTED)
    .replace(SIGNED_PARAMETER, `$1${REDACTED}`)
    .replace(SECRET_FIELD, `$1${REDACTED}`)
    .replace(AWS_ACCESS_KEY_ID, REDACTED);
}
