import { z } from "zod";

/** How failed Google API calls are retried (HTTP 429/5xx, gRPC RESOURCE_EXHAUSTED/UNAVAILABLE). */
export const gcpRetrySchema = z
  .object({
    /** Attempts per call, the first included. @default 6 */
    attempts: z.number().int().min(1).max(20).optional(),
    /** Base of the exponential backoff in milliseconds (full jitter). @default 1000 */
    baseDelayMs: z.number().int().min(0).optional(),
    /** Longest wait between two attempts in milliseconds, `Retry-After` included. @default 60000 */
    maxDelayMs: z.number().int().min(0).optional(),
  })
  .strict();

/** The `gcp:` source of `landlord.yaml` (SPEC 2.1). */
export const gcpSourceSchema = z
  .object({
    /** Organization id (digits): every folder and project below it. */
    organization: z.string().regex(/^\d+$/, "a GCP organization id is digits only").optional(),
    /** Folder ids to scan (`123` or `folders/123`), with every folder and project below them. */
    folders: z.array(z.string().min(1)).optional(),
    /** Project ids to scan. */
    projects: z.array(z.string().min(1)).optional(),
    /** Custom API endpoint host (private service connect, test server). */
    endpoint: z.url().optional(),
    /** Projects read at once. @default 4 */
    concurrency: z.number().int().min(1).max(64).optional(),
    /** Only these Cloud Asset types (e.g. `compute.googleapis.com/Instance`); all searchable types when absent. */
    assetTypes: z.array(z.string().min(1)).optional(),
    /** Per-call timeout in milliseconds. @default 60000 */
    timeoutMs: z.number().int().min(100).optional(),
    retry: gcpRetrySchema.optional(),
  })
  .strict();

export type GcpSourceConfig = z.infer<typeof gcpSourceSchema>;
export type GcpRetryConfig = z.infer<typeof gcpRetrySchema>;
