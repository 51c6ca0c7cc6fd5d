/**
 * Turns what went wrong while reading a subscription into a diagnostic a user can act on.
 * Messages go through the token scrubber: an error body must never leak a credential.
 */
import type { Diagnostic } from "../../diagnostics.js";
import type { TokenScrubber } from "./credential.js";
import { asAzureError } from "./retry.js";

/** A page ARM returned that landlord cannot read; never treated as an empty page. */
export class MalformedPageError extends Error {
  override readonly name = "MalformedPageError";
  /**
   * The body did not parse: a connection dropped mid-page leaves exactly this, so the page is
   * fetched again before the subscription is given up. A page that parsed but has the wrong shape is not.
   */
  readonly unparsable: boolean;

  constructor(message: string, options: ErrorOptions & { unparsable?: boolean } = {}) {
    super(message, options);
    this.unparsable = options.unparsable ?? false;
  }
}

/** Stable diagnostic codes of the Azure collector. */
export const AZURE_CODES = {
  forbidden: "azure-access-denied",
  unauthenticated: "azure-authentication-failed",
  notFound: "azure-subscription-not-found",
  throttled: "azure-throttled",
  malformed: "azure-malformed-response",
  failed: "azure-read-failed",
  skipped: "azure-subscription-skipped",
  truncated: "azure-results-truncated",
} as const;

const CREDENTIAL_ERROR_NAMES = new Set([
  "CredentialUnavailableError",
  "AuthenticationError",
  "AggregateAuthenticationError",
  "AuthenticationRequiredError",
]);

/** What to call the scope in messages: a subscription, the tenant, or a Resource Graph batch. */
export interface ProblemScope {
  /** Subscription id, when the failure belongs to one. */
  subscription?: string;
  /** Words for the scope, e.g. `subscription 1234...` or `the subscription list`. */
  label: string;
}

/** Builds the `error` diagnostic for a failed read. */
export function problemDiagnostic(error: unknown, where: ProblemScope, scrubber: TokenScrubber): Diagnostic {
  const shape = asAzureError(error);
  const name = error instanceof Error ? error.name : "";
  const detail = scrubber.scrub(shape.message).split("\n")[0]?.slice(0, 500) ?? "";
  const scope: Record<string, string> = { provider: "azure" };
  if (where.subscription !== undefined) scope.subscription = where.subscription;
  const source = where.subscription === undefined ? "azure" : `azure:${where.subscription}`;
  const make = (code: string, message: string, hint: string): Diagnostic => ({
    level: "error",
    code,
    message,
    source,
    scope,
    hint,
  });

  if (error instanceof MalformedPageError) {
    return make(
      AZURE_CODES.malformed,
      `Azure returned a page landlord cannot read for ${where.label}: ${detail}. Resources after it are missing.`,
      "Run the scan again; if it persists, report the response (without tokens) as a landlord bug.",
    );
  }
  if (CREDENTIAL_ERROR_NAMES.has(name)) {
    return make(
      AZURE_CODES.unauthenticated,
      `No Azure credential could sign in to read ${where.label}: ${detail}`,
      "Sign in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a workload or managed identity).",
    );
  }
  switch (shape.statusCode) {
    case 401:
      return make(
        AZURE_CODES.unauthenticated,
        `Azure rejected the credential while reading ${where.label} (${shape.code ?? "401"}): ${detail}`,
        "Check that the identity belongs to the right tenant (`tenantId` in the azure source) and that its token has not expired.",
      );
    case 403:
      return make(
        AZURE_CODES.forbidden,
        `Access denied to ${where.label} (${shape.code ?? "403"}): the identity may not read its resources.`,
        "Grant the identity the Reader role on the subscription (or on a management group above it), or remove the subscription from the azure source.",
      );
    case 404:
      return make(
        AZURE_CODES.notFound,
        `${capitalize(where.label)} was not found (${shape.code ?? "404"}): ${detail}`,
        "Check the subscription id and tenant; list the visible ones with `az account list`.",
      );
    case 429:
      return make(
        AZURE_CODES.throttled,
        `Azure kept throttling requests for ${where.label} after every retry (${shape.code ?? "429"}).`,
        "Lower `concurrency` in the azure source, run at a quieter time, or use `resourceGraph: true` for large tenants.",
      );
    default:
      return make(
        AZURE_CODES.failed,
        `Could not read ${where.label}${shape.statusCode === undefined ? "" : ` (HTTP ${shape.statusCode}${shape.code ? ` ${shape.code}` : ""})`}: ${detail}`,
        "Run the scan again; a lasting failure usually means a network, proxy or endpoint problem.",
      );
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
