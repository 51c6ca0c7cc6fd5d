/**
 * Lazy access to the AWS SDK: the modules load only when an `aws` source is collected, so an offline
 * scan never pays for (or depends on) them.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";

/**
 * The SDK modules one collection uses. Tagging and STS are always needed; the others load only when
 * the source needs them (the EC2 client alone costs most of a second of CPU to load).
 */
export interface AwsSdk {
  tagging: typeof import("@aws-sdk/client-resource-groups-tagging-api");
  sts: typeof import("@aws-sdk/client-sts");
  /** Loaded only when the organisation's accounts are listed. */
  organizations?: typeof import("@aws-sdk/client-organizations");
  /** Loaded only when every enabled region is read (`regions: all`, EC2 DescribeRegions). */
  ec2?: typeof import("@aws-sdk/client-ec2");
  /** Loaded only for the default credential chain (no credentials were injected). */
  credentials?: typeof import("@aws-sdk/credential-providers");
  /** Loaded only when Resource Explorer is enabled. */
  resourceExplorer?: typeof import("@aws-sdk/client-resource-explorer-2");
}

/** Which optional SDK modules a collection needs. */
export interface AwsSdkNeeds {
  organizations: boolean;
  ec2: boolean;
  credentials: boolean;
  resourceExplorer: boolean;
}

/** Imports the SDK modules a collection needs (in parallel). */
export async function loadAwsSdk(needs: AwsSdkNeeds): Promise<AwsSdk> {
  const [tagging, sts, organizations, ec2, credentials, resourceExplorer] = await Promise.all([
    import("@aws-sdk/client-resource-groups-tagging-api"),
    import("@aws-sdk/client-sts"),
    needs.organizations ? import("@aws-sdk/client-organizations") : undefined,
    needs.ec2 ? import("@aws-sdk/client-ec2") : undefined,
    needs.credentials ? import("@aws-sdk/credential-providers") : undefined,
    needs.resourceExplorer ? import("@aws-sdk/client-resource-explorer-2") : undefined,
  ]);
  return {
    tagging,
    sts,
    ...(organizations ? { organizations } : {}),
    ...(ec2 ? { ec2 } : {}),
    ...(credentials ? { credentials } : {}),
    ...(resourceExplorer ? { resourceExplorer } : {}),
  };
}

/** The module `name` of `sdk`, which the collection said it needed when it loaded the SDK. */
export function sdkModule<K extends keyof AwsSdk>(sdk: AwsSdk, name: K): NonNullable<AwsSdk[K]> {
  const module = sdk[name];
  if (module === undefined) throw new Error(`the AWS SDK module \`${name}\` was not loaded`);
  return module as NonNullable<AwsSdk[K]>;
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
