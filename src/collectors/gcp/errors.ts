/**
 * Reading Google API failures, whichever transport produced them.
 *
 * On the REST transport a failed call rejects with a gaxios error whose `code`/`status` is the HTTP
 * status and whose `message` is the raw JSON error body; on gRPC it is a GoogleError with a numeric
 * gRPC `code`. Both are read here into one shape, with the HTTP status and gRPC code side by side.
 */
import { redactSecrets } from "../../secrets.js";

/** gRPC status codes this collector cares about. */
export const GRPC = {
  deadlineExceeded: 4,
  notFound: 5,
  permissionDenied: 7,
  resourceExhausted: 8,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

const RETRYABLE_HTTP = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_GRPC = new Set<number>([GRPC.resourceExhausted, GRPC.unavailable]);
const RETRYABLE_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

/** A Google API failure, read from a REST (gaxios) or gRPC (GoogleError) error. */
export interface GoogleApiFailure {
  /** HTTP status on the REST transport. */
  httpStatus?: number;
  /** gRPC status code on the gRPC transport. */
  grpcCode?: number;
  /** Canonical status name from the error body, e.g. `RESOURCE_EXHAUSTED`, `PERMISSION_DENIED`. */
  status?: string;
  /** `google.rpc.ErrorInfo` reason, e.g. `SERVICE_DISABLED`, `RATE_LIMIT_EXCEEDED`. */
  reason?: string;
  /** Service named by the error (`cloudasset.googleapis.com`), when it says. */
  service?: string;
  /** Project whose quota the call used, when the error says (`projects/123`). */
  consumer?: string;
  /** What Google said, with anything resembling a credential removed. */
  message: string;
  /** How long the server asked us to wait (`Retry-After` header or `google.rpc.RetryInfo`). */
  retryAfterMs?: number;
  /** True for throttling and transient server or network failures. */
  retryable: boolean;
  /** True when the call ran out of time on our side. */
  timedOut: boolean;
}

/** Thrown by the per-call timeout; retryable like a 504. */
export class GoogleCallTimeoutError extends Error {
  override readonly name = "GoogleCallTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** Removes bearer tokens and OAuth access tokens from text that may end up in a report. */
export function redactCredentials(text: string): string {
  return redactSecrets(text)
    .replace(/Bearer\s+[A-Za-z0-9._~+/-]+=*/gi, "Bearer [redacted]")
    .replace(/\bya29\.[A-Za-z0-9._-]+/g, "[redacted]")
    .replace(
      /("?(?:access_token|refresh_token|id_token|client_secret|private_key)"?\s*[:=]\s*)"[^"]*"/gi,
      '$1"[redacted]"',
    );
}

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

function parseErrorBody(text: string): GoogleErrorBody | undefined {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(start));
    if (parsed && typeof parsed === "object" && "error" in parsed) {
      const inner = (parsed as { error: unknown }).error;
      if (inner && typeof inner === "object") return inner as GoogleErrorBody;
    }
  } catch {
    // Not a JSON error body: the message is plain text.
  }
  return undefined;
}

function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    const value = (headers as { get(key: string): string | null }).get(name);
    return value ?? undefined;
  }
  const value =
    (headers as Record<string, unknown>)[name] ?? (headers as Record<string, unknown>)[name.toLowerCase()];
  return typeof value === "string" ? value : undefined;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return match ? Number(match[1]) * 1000 : undefined;
}

function field(value: unknown, key: string): unknown {
  return value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
}

/** Reads any error thrown by a Google client call. */
export function describeGoogleError(error: unknown, now = Date.now()): GoogleApiFailure {
  if (error instanceof GoogleCallTimeoutError) {
    return { message: error.message, retryable: true, timedOut: true };
  }
  const rawMessage = error instanceof Error ? error.message : String(error);
  const body =
    parseErrorBody(rawMessage) ?? parseErrorBody(String(field(field(error, "response"), "data") ?? ""));
  const code = field(error, "code");
  const statusField = field(error, "status");
  const responseStatus = field(field(error, "response"), "status");

  const failure: GoogleApiFailure = {
    message: redactCredentials(
      (body?.message ?? (String(field(error, "details") ?? "") || rawMessage)).trim(),
    ),
    retryable: false,
    timedOut: false,
  };

  // gaxios: code and status are the HTTP status; GoogleError: code is the gRPC status.
  const httpStatus =
    typeof responseStatus === "number"
      ? responseStatus
      : typeof statusField === "number"
        ? statusField
        : typeof code === "number" && code >= 100
          ? code
          : typeof body?.code === "number" && body.code >= 100
            ? body.code
            : undefined;
  if (httpStatus !== undefined) failure.httpStatus = httpStatus;
  else if (typeof code === "number") failure.grpcCode = code;

  if (body?.status) failure.status = body.status;
  for (const detail of body?.details ?? []) {
    const type = String(detail["@type"] ?? "");
    if (type.endsWith("google.rpc.ErrorInfo")) {
      if (typeof detail["reason"] === "string") failure.reason = detail["reason"];
      const metadata = detail["metadata"];
      const service = field(metadata, "service");
      const consumer = field(metadata, "consumer");
      if (typeof service === "string") failure.service = service;
      if (typeof consumer === "string") failure.consumer = consumer;
    } else if (type.endsWith("google.rpc.RetryInfo")) {
      const delay = parseDuration(detail["retryDelay"]);
      if (delay !== undefined) failure.retryAfterMs = delay;
    }
  }
  // Google's "API not enabled" text links the API's console page, which names the service.
  if (!failure.service) {
    const linked = /\/apis\/api\/([a-z0-9.-]+\.googleapis\.com)/.exec(failure.message);
    if (linked?.[1]) failure.service = linked[1];
  }
  const grpcReason = field(error, "reason");
  if (!failure.reason && typeof grpcReason === "string") failure.reason = grpcReason;

  const retryAfter = parseRetryAfter(
    readHeader(field(field(error, "response"), "headers"), "retry-after"),
    now,
  );
  if (retryAfter !== undefined) failure.retryAfterMs = retryAfter;

  const networkCode = typeof code === "string" ? code : String(field(field(error, "cause"), "code") ?? "");
  failure.retryable =
    (failure.httpStatus !== undefined && RETRYABLE_HTTP.has(failure.httpStatus)) ||
    (failure.grpcCode !== undefined && RETRYABLE_GRPC.has(failure.grpcCode)) ||
    RETRYABLE_NETWORK.has(networkCode);
  return failure;
}

/** True when the failure says an API is not enabled for the project that owns the quota. */
export function isApiDisabled(failure: GoogleApiFailure): boolean {
  return (
    failure.reason === "SERVICE_DISABLED" ||
    /has not been used in project|it is disabled|API .* is not enabled/i.test(failure.message)
  );
}

/** True for 403 / PERMISSION_DENIED. */
export function isPermissionDenied(failure: GoogleApiFailure): boolean {
  return (
    failure.httpStatus === 403 ||
    failure.grpcCode === GRPC.permissionDenied ||
    failure.status === "PERMISSION_DENIED"
  );
}

/** True for 401 / UNAUTHENTICATED, or credentials that could not be found at all. */
export function isUnauthenticated(failure: GoogleApiFailure): boolean {
  return (
    failure.httpStatus === 401 ||
    failure.grpcCode === GRPC.unauthenticated ||
    failure.status === "UNAUTHENTICATED" ||
    /Could not load the default credentials/i.test(failure.message)
  );
}

/** True for 404 / NOT_FOUND. */
export function isNotFound(failure: GoogleApiFailure): boolean {
  return failure.httpStatus === 404 || failure.grpcCode === GRPC.notFound || failure.status === "NOT_FOUND";
}

/** True for 429 / RESOURCE_EXHAUSTED. */
export function isQuotaExhausted(failure: GoogleApiFailure): boolean {
  return (
    failure.httpStatus === 429 ||
    failure.grpcCode === GRPC.resourceExhausted ||
    failure.status === "RESOURCE_EXHAUSTED"
  );
}

/** A short label for a failure: `HTTP 403 PERMISSION_DENIED`, `gRPC 14`, `timeout`. */
export function failureLabel(failure: GoogleApiFailure): string {
  if (failure.timedOut) return "timeout";
  const parts: string[] = [];
  if (failure.httpStatus !== undefined) parts.push(`HTTP ${failure.httpStatus}`);
  if (failure.grpcCode !== undefined) parts.push(`gRPC ${failure.grpcCode}`);
  if (failure.status) parts.push(failure.status);
  return parts.join(" ") || "error";
}
