import { z } from "zod";

/** The `azure:` source of `landlord.yaml` (SPEC 2.1). */
export const azureSourceSchema = z
  .object({
    /** `all` (every subscription the identity can see) or a list of subscription ids. @default "all" */
    subscriptions: z.union([z.literal("all"), z.array(z.string().min(1)).min(1)]).default("all"),
    /** Entra ID tenant to authenticate against. */
    tenantId: z.string().min(1).optional(),
    /** Custom ARM endpoint (sovereign cloud, test server). */
    endpoint: z.url().optional(),
    /** Read through Azure Resource Graph instead of per-subscription listing. @default false */
    resourceGraph: z.boolean().optional(),
    /** Per-page timeout in milliseconds (the request is aborted and the subscription reported). @default 60000 */
    timeoutMs: z.number().int().min(100).optional(),
    /** Subscriptions read at once. @default 4 */
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export type AzureSourceConfig = z.infer<typeof azureSourceSchema>;
