/**
 * One AWS collection run: the resolved configuration, the shared credentials, the scrubber, the rate
 * limiter, the keep-alive connections every client shares, and the helpers every step uses to build
 * clients and make bounded, timed calls.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { HttpHandlerOptions, HttpRequest, HttpResponse, RequestHandler } from "@aws-sdk/types";
import type { CollectContext } from "../types.js";
import type { AwsSourceConfig } from "./config.js";
import type { AwsStep } from "./errors.js";
import { type CallSignal, RateLimiter } from "./rate-limit.js";
import { SecretScrubber } from "./scrub.js";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, AwsSdk } from "./sdk.js";
import { memoizeCredentials, sdkModule } from "./sdk.js";

/**
 * The SDK's request handler, with the configuration hooks its HTTP handlers have besides `handle`.
 */
export type RequestHandlerLike = RequestHandler<HttpRequest, HttpResponse, HttpHandlerOptions> & {
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
};

function isRequestHandler(value: unknown): value is RequestHandlerLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { handle?: unknown }).handle === "function"
  );
}

export const DEFAULTS = {
  concurrency: 8,
  timeoutMs: 30_000,
  requestsPerSecond: 10,
  maxAttempts: 6,
  homeRegion: "us-east-1",
} as const;

/** Raised when landlord's own per-call timeout cut a call off. */
export class CallTimeoutError extends Error {
  override readonly name = "CallTimeoutError";
  readonly timeoutMs: number;
  readonly step: AwsStep;

  constructor(step: AwsStep, timeoutMs: number) {
    super(`${step} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
    this.step = step;
  }
}

/** Shared state of one `collectAws` call. */
export class AwsSession {
  readonly sdk: AwsSdk;
  readonly config: AwsSourceConfig;
  readonly context: CollectContext;
  readonly scrubber = new SecretScrubber();
  readonly rateLimiter: RateLimiter;
  readonly timeoutMs: number;
  /** Region for STS, Organizations, EC2 DescribeRegions and Resource Explorer by default. */
  readonly homeRegion: string;
  /** Credentials of the scanning identity (before any role is assumed). */
  readonly baseCredentials: AwsCredentialIdentityProvider;
  /**
   * One keep-alive connection pool for every client of the run (one client per account-region, so a
   * pool per client would open a connection per account-region), handed to each client's HTTP
   * handler. Clients therefore are not destroyed one by one (that would close the shared pool);
   * {@link close} closes it once the run is over.
   */
  readonly #agents: { httpAgent: HttpAgent; httpsAgent: HttpsAgent };
  /**
   * Settings every client would otherwise resolve for itself from the environment and the shared
   * config files, each time raising and catching an error per source that does not set them (FIPS
   * and dual-stack endpoints, the user agent's app id, the auth scheme preference): the providers
   * of one client, which resolve them once, handed to every client of the run.
   */
  readonly #settings: Record<string, unknown>;
  /** The SDK's HTTP handler over the shared pool, for clients that wrap it (see signalledHandler). */
  readonly #poolHandler: RequestHandlerLike;
  /** The SDK's HTTP handler built from injected handler options, on first use. */
  #injectedHandler: RequestHandlerLike | undefined;
  /** The STS client every AssumeRole of the run goes through, built on first use. */
  #roleClient: InstanceType<AwsSdk["sts"]["STSClient"]> | undefined;

  constructor(sdk: AwsSdk, config: AwsSourceConfig, context: CollectContext) {
    this.sdk = sdk;
    this.config = config;
    this.context = context;
    this.timeoutMs = config.timeoutMs ?? DEFAULTS.timeoutMs;
    const concurrency = config.concurrency ?? DEFAULTS.concurrency;
    this.rateLimiter = new RateLimiter(config.requestsPerSecond ?? DEFAULTS.requestsPerSecond);
    // Every account task and every region task has at most one call in flight.
    const sockets = 2 * concurrency;
    const pool = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets };
    this.#agents = { httpAgent: new HttpAgent(pool), httpsAgent: new HttpsAgent(pool) };
    // A region that is no FIPS pseudo-region, so the FIPS provider is the environment's alone.
    const { config: resolved } = new sdk.sts.STSClient({ region: "us-east-1", requestHandler: this.#agents });
    // The SDK's HTTP handler over the shared pool, which that client built from the agents.
    this.#poolHandler = resolved.requestHandler as RequestHandlerLike;
    this.#settings = {
      useFipsEndpoint: resolved.useFipsEndpoint,
      useDualstackEndpoint: resolved.useDualstackEndpoint,
      userAgentAppId: resolved.userAgentAppId,
      authSchemePreference: resolved.authSchemePreference,
    };
    const listed = Array.isArray(config.regions) ? config.regions[0] : undefined;
    this.homeRegion =
      listed ?? context.env.AWS_REGION ?? context.env.AWS_DEFAULT_REGION ?? DEFAULTS.homeRegion;
    const injected = context.overrides?.aws?.credentials as
      | AwsCredentialIdentity
      | AwsCredentialIdentityProvider
      | undefined;
    const provider: AwsCredentialIdentityProvider =
      typeof injected === "function"
        ? injected
        : injected
          ? async () => injected
          : sdkModule(sdk, "credentials").fromNodeProviderChain({
              ...(config.profile ? { profile: config.profile } : {}),
              clientConfig: { region: this.homeRegion },
            });
    this.baseCredentials = memoizeCredentials(provider, (credentials) => this.scrubber.remember(credentials));
  }

  /**
   * Configuration for any AWS client: region, credentials, adaptive retry, the shared connection
   * pool, the source's endpoint, then the injected overrides (tests point clients at a local server
   * and shorten retries here; an injected `requestHandler` replaces the shared pool).
   */
  clientConfig(region: string, credentials: AwsCredentialIdentityProvider): Record<string, unknown> {
    return {
      region,
      credentials,
      retryMode: "adaptive",
      maxAttempts: this.config.maxAttempts ?? DEFAULTS.maxAttempts,
      requestHandler: this.#agents,
      ...this.#settings,
      ...(this.config.endpoint ? { endpoint: this.config.endpoint } : {}),
      ...this.context.overrides?.aws?.clientConfig,
    };
  }

  /**
   * Credentials for an assumed role, resolved once per account (and again shortly before they
   * expire). Every account's AssumeRole goes through one STS client of the run rather than a client
   * per account.
   */
  assumeRole(
    account: string,
    partition: string,
    roleName: string,
    externalId: string | undefined,
  ): AwsCredentialIdentityProvider {
    const { AssumeRoleCommand, STSClient } = this.sdk.sts;
    const roleArn = `arn:${partition}:iam::${account}:role/${roleName}`;
    const provider: AwsCredentialIdentityProvider = async () => {
      // Sent without per-call options, so the client may keep its resolved middleware.
      this.#roleClient ??= new STSClient({
        ...this.clientConfig(this.homeRegion, this.baseCredentials),
        cacheMiddleware: true,
      });
      const answer = await this.#roleClient.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: "landlord-scan",
          ...(externalId ? { ExternalId: externalId } : {}),
        }),
      );
      const issued = answer.Credentials;
      if (!issued?.AccessKeyId || !issued.SecretAccessKey)
        throw new Error(`STS AssumeRole answered without credentials for ${roleArn}`);
      return {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
        ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
      };
    };
    return memoizeCredentials(provider, (credentials) => this.scrubber.remember(credentials));
  }

  /**
   * A request handler for a client that makes one call at a time: each request is sent by the
   * configured handler (the SDK's own over the shared pool, or an injected one) and aborted by
   * `call.signal`, the signal of the call under way.
   */
  signalledHandler(call: CallSignal): RequestHandlerLike {
    const configured = this.clientConfig(this.homeRegion, this.baseCredentials)["requestHandler"];
    let inner: RequestHandlerLike;
    if (isRequestHandler(configured)) {
      inner = configured;
    } else if (configured === this.#agents) {
      inner = this.#poolHandler;
    } else {
      // A client turns handler options into the SDK's handler; one such handler serves the run.
      this.#injectedHandler ??= new this.sdk.sts.STSClient({
        region: this.homeRegion,
        requestHandler: configured as Record<string, unknown>,
      }).config.requestHandler as RequestHandlerLike;
      inner = this.#injectedHandler;
    }
    return {
      ...(inner.metadata ? { metadata: inner.metadata } : {}),
      handle: (request, options) => {
        const abortSignal = call.signal ?? options?.abortSignal;
        return inner.handle(request, abortSignal ? { ...options, abortSignal } : options);
      },
      updateHttpClientConfig: (key: never, value: never) => inner.updateHttpClientConfig?.(key, value),
      httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
      // The handler and its connections belong to the run (or to whoever injected it).
      destroy: () => {},
    };
  }

  /** Closes the shared connections; the run's clients are not used after this. */
  close(): void {
    this.#agents.httpAgent.destroy();
    this.#agents.httpsAgent.destroy();
  }

  /**
   * Runs one SDK call with the per-call timeout: the request is aborted when it runs out, and the
   * error says it was landlord's timeout rather than a network failure.
   */
  async call<T>(step: AwsStep, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    // A plain controller and timer: cheaper than `AbortSignal.timeout` joined by `AbortSignal.any`,
    // at thousands of calls a run.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`${step} timed out`, "TimeoutError"));
    }, this.timeoutMs);
    const outer = this.context.signal;
    const onAbort = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    else outer?.addEventListener("abort", onAbort, { once: true });
    try {
      return await run(controller.signal);
    } catch (error) {
      if (timedOut && !outer?.aborted) throw new CallTimeoutError(step, this.timeoutMs);
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    }
  }

  /** Resolves a credential provider under the per-call timeout (AssumeRole takes no abort signal). */
  async resolveCredentials(provider: AwsCredentialIdentityProvider): Promise<AwsCredentialIdentity> {
    return this.call("AssumeRole", (abortSignal) => {
      return new Promise<AwsCredentialIdentity>((resolve, reject) => {
        const onAbort = (): void => reject(abortSignal.reason);
        abortSignal.addEventListener("abort", onAbort, { once: true });
        provider().then(
          (credentials) => {
            abortSignal.removeEventListener("abort", onAbort);
            resolve(credentials);
          },
          (error: unknown) => {
            abortSignal.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      });
    });
  }
}
