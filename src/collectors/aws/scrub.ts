/**
 * Keeps credentials out of everything landlord prints or stores. Error messages from AWS and from the
 * SDK may echo an access key id or a token; they pass through here before becoming diagnostics.
 */
import { redactSecrets } from "../../secrets.js";

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{12,}\b/g;
/** Secret keys (40 chars) and session tokens (hundreds) are long runs of base64 characters. */
const LONG_SECRET = /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40,}(?![A-Za-z0-9/+=])/g;
const REDACTED = "[redacted]";

/** Tracks the credential values this collection has held so they can be removed by value too. */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  /** Remembers the values of a credential set (access key id, secret key, session token). */
  remember(credentials: { accessKeyId?: string; secretAccessKey?: string; sessionToken?: string }): void {
    for (const value of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken]) {
      if (value && value.length >= 4) this.#secrets.add(value);
    }
  }

  /** Returns `text` with every known secret and anything shaped like a key or token replaced. */
  scrub(text: string): string {
    let clean = text;
    for (const secret of this.#secrets) clean = clean.split(secret).join(REDACTED);
    clean = redactSecrets(clean).replace(ACCESS_KEY_ID, REDACTED);
    return clean.replace(LONG_SECRET, (match) => (looksLikeSecret(match) ? REDACTED : match));
  }
}

/** A long run mixing digits and both letter cases; ARN paths and words rarely do. */
function looksLikeSecret(text: string): boolean {
  return /\d/.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text);
}
