import { z } from "zod";

/** The `gcp:` source of `landlord.yaml` (SPEC 2.1). */
export const gcpSourceSchema = z
  .object({
    /** Organization id (digits): every folder and project below it. */
    organization: z.string().regex(/^\d+$/, "a GCP organization id is digits only").optional(),
    /** Folder ids to scan. */
    folders: z.array(z.string().min(1)).optional(),
    /** Project ids to scan. */
    projects: z.array(z.string().min(1)).optional(),
    /** Custom API endpoint host (private service connect, test server). */
    endpoint: z.url().optional(),
    /** Projects read at once. @default 4 */
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export type GcpSourceConfig = z.infer<typeof gcpSourceSchema>;
