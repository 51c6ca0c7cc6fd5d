/**
 * Turns a Google API failure into a diagnostic the user can act on: what could not be read, what
 * Google said, and what to change (enable an API, grant a role, fix credentials, lower concurrency).
 */
import type { Diagnostic, DiagnosticLevel } from "../../diagnostics.js";
import {
  failureLabel,
  type GoogleApiFailure,
  isApiDisabled,
  isNotFound,
  isPermissionDenied,
  isQuotaExhausted,
  isUnauthenticated,
} from "./errors.js";

/** Which Google API a failed call belonged to. */
export type GoogleApi = "asset" | "resourcemanager";

const SERVICE: Record<GoogleApi, string> = {
  asset: "cloudasset.googleapis.com",
  resourcemanager: "cloudresourcemanager.googleapis.com",
};

const ROLE_HINT: Record<GoogleApi, string> = {
  asset: "roles/cloudasset.viewer (permission cloudasset.assets.searchAllResources)",
  resourcemanager:
    "roles/browser (permissions resourcemanager.organizations.get, resourcemanager.folders.list, resourcemanager.projects.list, resourcemanager.projects.get)",
};

/** What failed, for the diagnostic. */
export interface FailureContext {
  api: GoogleApi;
  /** What was attempted, e.g. "search the resources of project shop-prod". */
  action: string;
  /** The resource the call addressed: `projects/shop-prod`, `folders/456`, `organizations/123`. */
  target: string;
  /** Diagnostic scope: always `provider: gcp`, plus `project`, `folder` or `organization`. */
  scope: Record<string, string>;
  attempts: number;
  level?: DiagnosticLevel;
}

const MAX_MESSAGE = 400;

function consumerProject(failure: GoogleApiFailure): string | undefined {
  if (failure.consumer) return failure.consumer.replace(/^projects\//, "");
  return /project (\S+?) (?:before|or)/.exec(failure.message)?.[1];
}

function classify(failure: GoogleApiFailure, context: FailureContext): { code: string; hint: string } {
  const service = failure.service ?? SERVICE[context.api];
  if (isApiDisabled(failure)) {
    const project = consumerProject(failure) ?? "<quota-project>";
    return {
      code: "gcp-api-disabled",
      hint:
        `Enable ${service} in the project your credentials use for quota: ` +
        `\`gcloud services enable ${service} --project ${project}\` ` +
        "(with user credentials, choose that project with `gcloud auth application-default set-quota-project`).",
    };
  }
  if (isUnauthenticated(failure)) {
    return {
      code: "gcp-unauthenticated",
      hint:
        "Application Default Credentials are missing or were rejected: run `gcloud auth application-default login`, " +
        "or set GOOGLE_APPLICATION_CREDENTIALS to a service-account or workload identity federation file.",
    };
  }
  if (isPermissionDenied(failure)) {
    return {
      code: "gcp-permission-denied",
      hint: `Grant the scanning identity ${ROLE_HINT[context.api]} on ${context.target} or on a folder or organization above it.`,
    };
  }
  if (isNotFound(failure)) {
    return {
      code: "gcp-not-found",
      hint: `Check that ${context.target} exists and is spelled as in the console; deleted projects and folders cannot be read.`,
    };
  }
  if (isQuotaExhausted(failure)) {
    return {
      code: "gcp-quota-exhausted",
      hint:
        `Still throttled after ${context.attempts} attempts: lower the gcp source's \`concurrency\`, run again later, ` +
        "or raise the quota (Cloud Asset SearchAllResources: 400 requests a minute per consumer project).",
    };
  }
  if (failure.retryable) {
    return {
      code: "gcp-unavailable",
      hint: `Google kept failing after ${context.attempts} attempts; run the scan again, or raise \`timeoutMs\` if calls time out.`,
    };
  }
  return { code: "gcp-api-error", hint: "Run the scan again; if it persists, check the message above." };
}

/** A diagnostic for a call that failed for good. */
export function failureDiagnostic(failure: GoogleApiFailure, context: FailureContext): Diagnostic {
  const { code, hint } = classify(failure, context);
  const said =
    failure.message.length > MAX_MESSAGE ? `${failure.message.slice(0, MAX_MESSAGE)}...` : failure.message;
  return {
    level: context.level ?? "error",
    code,
    message: `Could not ${context.action}: ${failureLabel(failure)}${said ? `: ${said}` : ""}`,
    source: `gcp:${context.target}`,
    scope: { provider: "gcp", ...context.scope },
    hint,
  };
}
