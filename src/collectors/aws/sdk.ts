/**
 * Lazy access to the AWS SDK: the modules load only when an `aws` source is collected, so an offline
 * scan never pays for (or depends on) them.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";

/** The SDK modules one collection uses. */
export interface AwsSdk {
  tagging: typeof import("@aws-sdk/client-resource-groups-tagging-api");
  organizations: typeof import("@aws-sdk/client-organizations");
  sts: typeof import("@aws-sdk/client-sts");
  ec2: typeof import("@aws-sdk/client-ec2");
  credentials: typeof import("@aws-sdk/credential-providers");
  /** Loaded only when Resource Explorer is enabled. */
  resourceExplorer?: typeof import("@aws-sdk/client-resource-explorer-2");
}

/** Imports the SDK modules (in parallel). */
export async function loadAwsSdk(withResourceExplorer: boolean): Promise<AwsSdk> {
  const [tagging, organizations, sts, ec2, credentials, resourceExplorer] = await Promise.all([
    import("@aws-sdk/client-resource-groups-tagging-api"),
    import("@aws-sdk/client-organizations"),
    import("@aws-sdk/client-sts"),
    import("@aws-sdk/client-ec2"),
    import("@aws-sdk/credential-providers"),
    withResourceExplorer ? import("@aws-sdk/client-resource-explorer-2") : Promise.resolve(undefined),
  ]);
  return resourceExplorer
    ? { tagging, organizations, sts, ec2, credentials, resourceExplorer }
    : { tagging, organizations, sts, ec2, credentials };
}

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider };

/**
 * Wraps a provider so it is called once and reused until shortly before the credentials expire
 * (one AssumeRole per account, not one per regional client), and so every value it hands out is
 * known to the scrubber.
 */
export function memoizeCredentials(
  provider: AwsCredentialIdentityProvider,
  onResolved: (credentials: AwsCredentialIdentity) => void,
): AwsCredentialIdentityProvider {
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const refreshMarginMs = 5 * 60_000;
  return () => {
    if (pending) {
      const current = pending;
      return current.then((credentials) => {
        const expiresAt = credentials.expiration?.getTime();
        if (expiresAt !== undefined && expiresAt - Date.now() < refreshMarginMs && pending === current) {
          pending = undefined;
          return resolveOnce();
        }
        return credentials;
      });
    }
    return resolveOnce();
  };

  function resolveOnce(): Promise<AwsCredentialIdentity> {
    const attempt = provider().then((credentials) => {
      onResolved(credentials);
      return credentials;
    });
    // A failure is not cached: the next caller tries again.
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
    pending = attempt;
    return attempt;
  }
}
