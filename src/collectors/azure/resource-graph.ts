/**
 * The Azure Resource Graph path for large tenants: one KQL query per batch of up to 1,000
 * subscriptions, paged with `$skipToken`, pacing itself by the per-user quota headers instead of
 * running into throttling. Far fewer calls than per-subscription listing, but Resource Graph only
 * shows what the identity may read and does not say which subscriptions it could not.
 */
import * as http from "node:http";
import * as https from "node:https";
import type { TokenCredential } from "@azure/core-auth";
import { PUBLIC_ARM_ENDPOINT } from "./credential.js";
import { type ArmResourceRecord, recordProblem, subscriptionOf } from "./mapper.js";
import { MalformedPageError } from "./problems.js";
import { parseQuotaReset, type RetryPolicy, sleep, withRetry } from "./retry.js";

/** Resource Graph accepts at most 1,000 subscriptions per query. */
export const MAX_SUBSCRIPTIONS_PER_QUERY = 1000;
/** Rows per page; 1,000 is the service maximum. */
export const ROWS_PER_PAGE = 1000;

/** The query: only the fields the normalized model needs, in a stable order for paging. */
export const INVENTORY_QUERY =
  "Resources | project id, name, type, location, tags, kind, subscriptionId | order by id asc";

/** Splits subscription ids into batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number = MAX_SUBSCRIPTIONS_PER_QUERY): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Paces queries by `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after`: when the quota
 * is spent, the next query waits for the window to reset.
 */
export class QuotaGate {
  #remaining = Number.POSITIVE_INFINITY;
  #resetAt = 0;
  /** Times a query waited for the quota window. */
  waits = 0;

  /** Waits until a query may be sent. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.#remaining <= 0 && Date.now() < this.#resetAt) {
      this.waits++;
      await sleep(this.#resetAt - Date.now(), signal);
    }
    this.#remaining--;
  }

  /** Notes the quota a response reported. */
  update(remaining: string | undefined, resetsAfter: string | undefined): void {
    const left = Number(remaining ?? Number.NaN);
    const resetMs = parseQuotaReset(resetsAfter);
    if (Number.isFinite(left)) this.#remaining = left;
    if (resetMs !== undefined) this.#resetAt = Date.now() + resetMs;
  }
}

/** Options for the Resource Graph client, which runs on the older ms-rest-js stack. */
function graphClientOptions(
  endpoint: string | undefined,
  injected: Record<string, unknown>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {
    baseUri: endpoint?.replace(/\/+$/, "") ?? PUBLIC_ARM_ENDPOINT,
    // landlord's own retry handles throttling and server errors for this client.
    noRetryPolicy: true,
  };
  let httpsAgent: https.Agent | undefined;
  if (injected.agent instanceof https.Agent) httpsAgent = injected.agent;
  else if (injected.tlsOptions && typeof injected.tlsOptions === "object")
    httpsAgent = new https.Agent({ ...(injected.tlsOptions as https.AgentOptions), keepAlive: true });
  if (httpsAgent) options.agentSettings = { http: new http.Agent({ keepAlive: true }), https: httpsAgent };
  return options;
}

/** Turns the legacy `table` result format (`columns` + `rows`) into objects. */
function rowsOf(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (data && typeof data === "object") {
    const table = data as { columns?: unknown; rows?: unknown };
    if (Array.isArray(table.columns) && Array.isArray(table.rows)) {
      const names = table.columns.map((column) => (column as { name?: unknown }).name);
      if (!names.every((name) => typeof name === "string")) return undefined;
      return table.rows.map((row) =>
        Array.isArray(row) ? Object.fromEntries(names.map((name, index) => [name, row[index]])) : row,
      );
    }
  }
  return undefined;
}

/** What one batch produced. */
export interface BatchResult {
  /** Well-formed records with their subscription id. */
  records: Array<{ record: ArmResourceRecord; subscriptionId: string }>;
  unreadable: string[];
  /** Resource Graph said the result was cut short (`resultTruncated`, subscription limit hit). */
  truncated: boolean;
}

/** Creates the client once per run. */
export async function createGraphClient(
  credential: TokenCredential,
  endpoint: string | undefined,
  injected: Record<string, unknown>,
): Promise<import("@azure/arm-resourcegraph").ResourceGraphClient> {
  const { ResourceGraphClient } = await import("@azure/arm-resourcegraph");
  return new ResourceGraphClient(credential, graphClientOptions(endpoint, injected));
}

/** Reads every page of the inventory query for one batch of subscriptions. */
export async function queryBatch(
  client: import("@azure/arm-resourcegraph").ResourceGraphClient,
  subscriptionIds: string[],
  gate: QuotaGate,
  policy: RetryPolicy,
  into: BatchResult,
  signal?: AbortSignal,
): Promise<void> {
  const known = new Map(subscriptionIds.map((id) => [id.toLowerCase(), id]));
  let skipToken: string | undefined;
  let pageNumber = 0;
  do {
    pageNumber++;
    const response = await withRetry(
      async () => {
        await gate.acquire(signal);
        // A query that is accepted and never answered must not stall the scan: each attempt gets
        // its own deadline, as every other Azure call does.
        const { timeoutMs } = policy;
        const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
        const attemptSignal = deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal);
        try {
          return await client.resources(
            {
              subscriptions: subscriptionIds,
              query: INVENTORY_QUERY,
              options: {
                top: ROWS_PER_PAGE,
                resultFormat: "objectArray",
                ...(skipToken === undefined ? {} : { skipToken }),
              },
            },
            // ms-rest-js declares its own AbortSignalLike; Node's AbortSignal satisfies it at run time.
            (attemptSignal ? { abortSignal: attemptSignal } : {}) as Record<never, never>,
          );
        } catch (error) {
          if (deadline?.aborted && !signal?.aborted)
            throw new Error(`Resource Graph page ${pageNumber} did not answer within ${timeoutMs} ms`, {
              cause: error,
            });
          const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } })
            .response?.headers;
          if (headers)
            gate.update(
              headers.get("x-ms-user-quota-remaining"),
              headers.get("x-ms-user-quota-resets-after"),
            );
          if (error instanceof SyntaxError || (error as { code?: unknown }).code === "PARSE_ERROR")
            throw new MalformedPageError(`Resource Graph page ${pageNumber} is not valid JSON`, {
              cause: error,
              unparsable: true,
            });
          throw error;
        }
      },
      policy,
      signal,
    );
    const headers = response._response.headers;
    gate.update(headers.get("x-ms-user-quota-remaining"), headers.get("x-ms-user-quota-resets-after"));
    const body = response._response.parsedBody as unknown as Record<string, unknown> | undefined;
    const rows = rowsOf(body?.data);
    if (!body || rows === undefined)
      throw new MalformedPageError(`Resource Graph page ${pageNumber} has no \`data\` rows`);
    // ms-rest-js hands back the deserialized model (`skipToken`), the wire name is `$skipToken`.
    const nextToken = body.skipToken ?? body.$skipToken;
    if (nextToken !== undefined && nextToken !== null && typeof nextToken !== "string")
      throw new MalformedPageError(
        `Resource Graph page ${pageNumber} has a \`$skipToken\` that is not a string`,
      );
    if (String(body.resultTruncated).toLowerCase() === "true" && !nextToken) into.truncated = true;
    if (headers.get("x-ms-tenant-subscription-limit-hit")?.toLowerCase() === "true") into.truncated = true;
    for (const row of rows) {
      const problem = recordProblem(row);
      if (problem !== undefined) {
        into.unreadable.push(problem);
        continue;
      }
      const record = row as ArmResourceRecord;
      const owner = record.subscriptionId ?? subscriptionOf(record.id);
      const subscriptionId = owner === undefined ? undefined : known.get(owner.toLowerCase());
      if (subscriptionId === undefined) {
        into.unreadable.push(`entry ${record.id} belongs to no queried subscription`);
        continue;
      }
      into.records.push({ record, subscriptionId });
    }
    if (nextToken && nextToken === skipToken)
      throw new MalformedPageError(`Resource Graph page ${pageNumber} repeats its own $skipToken`);
    skipToken = nextToken || undefined;
  } while (skipToken !== undefined);
}
