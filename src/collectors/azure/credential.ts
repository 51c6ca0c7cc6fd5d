/**
 * Credentials and client options shared by every Azure client landlord creates.
 * Tokens never leave this module's wrapper except inside the SDK's own Authorization header;
 * every message landlord shows passes through {@link TokenScrubber.scrub}.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { redactSecrets } from "../../secrets.js";
import type { CollectContext } from "../types.js";
import type { AzureSourceConfig } from "./config.js";

/** The public Azure Resource Manager endpoint. */
export const PUBLIC_ARM_ENDPOINT = "https://management.azure.com";

/** Sovereign ARM endpoints, whose tokens are issued for their own audience. */
const SOVEREIGN_ARM_ENDPOINTS = [
  "https://management.chinacloudapi.cn",
  "https://management.usgovcloudapi.net",
  "https://management.microsoftazure.de",
] as const;

/**
 * Token scope for an ARM endpoint: a sovereign cloud's own audience, otherwise the public one
 * (a private or test endpoint still accepts public-cloud tokens, not `${endpoint}/.default`).
 */
export function credentialScopeFor(endpoint: string | undefined): string {
  const origin = endpoint?.replace(/\/+$/, "").toLowerCase();
  const sovereign = SOVEREIGN_ARM_ENDPOINTS.find((candidate) => candidate === origin);
  return `${sovereign ?? PUBLIC_ARM_ENDPOINT}/.default`;
}

function isTokenCredential(value: unknown): value is TokenCredential {
  return (
    typeof value === "object" && value !== null && typeof (value as TokenCredential).getToken === "function"
  );
}

/** Remembers every token handed out so that no message can carry one. */
export class TokenScrubber {
  readonly #tokens = new Set<string>();

  /** Notes a token that must never be printed. */
  remember(token: string): void {
    if (token.length >= 8) this.#tokens.add(token);
  }

  /** Removes bearer tokens, JWTs, secrets in query strings and every remembered token from `text`. */
  scrub(text: string): string {
    let clean = text;
    for (const token of this.#tokens) clean = clean.split(token).join("[redacted]");
    return redactSecrets(clean)
      .replace(/Bearer\s+[A-Za-z0-9\-._~+/]+=*/gi, "Bearer [redacted]")
      .replace(/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, "[redacted]")
      .replace(
        /("?(?:access_token|refresh_token|client_secret|assertion)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
        "$1[redacted]",
      )
      .replace(/([?&](?:sig|code|client_secret)=)[^&\s"]+/gi, "$1[redacted]");
  }
}

/** The credential a run uses, wrapped so its tokens are known to the scrubber. */
export async function createCredential(
  config: AzureSourceConfig,
  context: CollectContext,
  scrubber: TokenScrubber,
): Promise<TokenCredential> {
  const injected = context.overrides?.azure?.credential;
  let credential: TokenCredential;
  if (injected !== undefined) {
    if (!isTokenCredential(injected))
      throw new TypeError("overrides.azure.credential is not a TokenCredential");
    credential = injected;
  } else {
    const { DefaultAzureCredential } = await import("@azure/identity");
    // Tenant selection: the profile wins, then the environment the CLI passed in.
    const tenantId = config.tenantId ?? context.env.AZURE_TENANT_ID;
    credential = new DefaultAzureCredential(tenantId === undefined ? {} : { tenantId });
  }
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const token = await credential.getToken(scopes, options);
      if (token) scrubber.remember(token.token);
      return token;
    },
  };
}

/**
 * Options for the core-client based clients (`ResourceManagementClient`, `SubscriptionClient`):
 * the endpoint, its token scope, then whatever the embedding program injected.
 */
export function armClientOptions(
  config: AzureSourceConfig,
  context: CollectContext,
): Record<string, unknown> {
  const endpoint = config.endpoint?.replace(/\/+$/, "");
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    credentialScopes: [credentialScopeFor(endpoint)],
    ...context.overrides?.azure?.clientOptions,
  };
}
