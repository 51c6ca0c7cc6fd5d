import { z } from "zod";

/** The `aws:` source of `landlord.yaml` (SPEC 2.1). */
export const awsSourceSchema = z
  .object({
    /** `all` (every enabled region) or a list of region codes. @default "all" */
    regions: z.union([z.literal("all"), z.array(z.string().min(1)).min(1)]).default("all"),
    /** Named profile from the shared AWS config files. */
    profile: z.string().min(1).optional(),
    /** List accounts through AWS Organizations and assume `roleName` in each. */
    organization: z
      .object({
        roleName: z.string().min(1),
        externalId: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** Explicit account ids to scan (with `roleName` to assume a role in each). */
    accounts: z.array(z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits")).optional(),
    roleName: z.string().min(1).optional(),
    externalId: z.string().min(1).optional(),
    /** Custom endpoint for every AWS client (LocalStack, a private endpoint, a test server). */
    endpoint: z.url().optional(),
    /** Account-regions read at once. @default 8 */
    concurrency: z.number().int().min(1).max(256).optional(),
    /** Per-call timeout in milliseconds (the request is aborted and the scope reported). @default 30000 */
    timeoutMs: z.number().int().min(100).optional(),
    /**
     * GetResources calls per second per account-region. AWS allows 15; the default leaves room for other
     * tools using the same account. @default 10
     */
    requestsPerSecond: z.number().positive().max(15).optional(),
    /** Attempts per call, including the first, for the SDK's adaptive retry. @default 6 */
    maxAttempts: z.number().int().min(1).max(20).optional(),
    /**
     * Also list resources through AWS Resource Explorer, which sees resources that were never tagged.
     * `true` uses the default view of the home region; an object names the view and the region of the
     * aggregator index. @default false
     */
    resourceExplorer: z
      .union([
        z.boolean(),
        z
          .object({
            /** ARN of the view to list; the region's default view when absent. */
            viewArn: z.string().min(1).optional(),
            /** Region of the aggregator index (the view's region). */
            region: z.string().min(1).optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export type AwsSourceConfig = z.infer<typeof awsSourceSchema>;
