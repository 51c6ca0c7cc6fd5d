/**
 * Page-by-page reading of an ARM list operation. Each page is one retryable unit: a page that
 * fails after the SDK's own retries is fetched again from its nextLink, never from the start,
 * so retries neither lose nor duplicate resources.
 */
import type { FullOperationResponse } from "@azure/core-client";
import { MalformedPageError } from "./problems.js";
import { asAzureError, type RetryPolicy, withRetry } from "./retry.js";

/** What the SDKs' `list()` results offer: pages with a continuation token (the nextLink). */
export interface PagedList<T> {
  byPage(settings?: { continuationToken?: string }): AsyncIterator<T[]>;
}

/** Operation options landlord passes to an ARM list call so it can inspect every raw page. */
export interface ListOptions {
  abortSignal?: AbortSignal;
  onResponse: (rawResponse: FullOperationResponse) => void;
}

/** Why a list page body is not a `{ value: [...], nextLink? }` document. */
function pageShapeProblem(body: unknown): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body))
    return "the body is not a JSON object";
  const page = body as Record<string, unknown>;
  if (!Array.isArray(page.value)) return "the body has no `value` array";
  if (page.nextLink !== undefined && page.nextLink !== null && typeof page.nextLink !== "string")
    return "`nextLink` is not a string";
  return undefined;
}

/**
 * Reads every page of a list operation. `open(options)` calls the SDK's `list(options)`;
 * `continuationOf(page)` is the package's `getContinuationToken`. `onPage` receives each page's
 * items in order.
 */
export async function readAllPages<T>(
  open: (options: ListOptions) => PagedList<T>,
  continuationOf: (page: unknown) => string | undefined,
  onPage: (items: T[]) => void,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<void> {
  let shapeProblem: string | undefined;
  const options: ListOptions = {
    onResponse: (raw) => {
      shapeProblem = raw.status >= 200 && raw.status < 300 ? pageShapeProblem(raw.parsedBody) : undefined;
    },
  };
  if (signal) options.abortSignal = signal;
  const list = open(options);
  const { timeoutMs } = policy;
  let continuation: string | undefined;
  let pageNumber = 0;
  do {
    pageNumber++;
    const page = await withRetry(
      async () => {
        shapeProblem = undefined;
        // A server that accepts the connection and never answers must not stall the scan: each
        // attempt gets its own deadline (the SDK reads the options object again for every page).
        const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
        const attemptSignal = deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal);
        if (attemptSignal) options.abortSignal = attemptSignal;
        const pages =
          continuation === undefined ? list.byPage() : list.byPage({ continuationToken: continuation });
        try {
          return await pages.next();
        } catch (error) {
          if (deadline?.aborted && !signal?.aborted)
            throw new Error(`page ${pageNumber} did not answer within ${timeoutMs} ms`, { cause: error });
          if (asAzureError(error).code === "PARSE_ERROR")
            throw new MalformedPageError(`page ${pageNumber} is not valid JSON`, {
              cause: error,
              unparsable: true,
            });
          throw error;
        }
      },
      policy,
      signal,
    );
    if (shapeProblem !== undefined) throw new MalformedPageError(`page ${pageNumber}: ${shapeProblem}`);
    if (page.done) break;
    onPage(page.value);
    const next = continuationOf(page.value);
    if (next !== undefined && next === continuation)
      throw new MalformedPageError(`page ${pageNumber} links to itself`);
    continuation = next;
  } while (continuation !== undefined);
}
