/**
 * The vendors manifest (SPEC 2.3): what third-party vendors declared about where they host the
 * organisation's data. Each hosting entry and region becomes a resource whose `vendor` is set.
 */
import { z } from "zod";
import { readYamlFile, validateDocument } from "../input/yaml.js";
import type { Resource } from "./types.js";

const hostingSchema = z
  .object({
    provider: z.string().min(1),
    regions: z.array(z.string().min(1)).optional(),
    /** Services the vendor uses there, as resource types (`s3:bucket`, `dynamodb:table`). */
    services: z.array(z.string().min(1)).optional(),
    account: z.string().optional(),
  })
  .strict();

const vendorSchema = z
  .object({
    name: z.string().min(1),
    workload: z.string().min(1).optional(),
    classification: z.string().min(1).optional(),
    criticality: z.string().min(1).optional(),
    environment: z.string().min(1).optional(),
    sector: z.enum(["public", "private"]).optional(),
    residency: z.array(z.string().length(2)).optional(),
    requiredCertifications: z.array(z.string().min(1)).optional(),
    /** Contract or due-diligence reference, carried into tags as `vendor-reference`. */
    reference: z.string().optional(),
    hosting: z.array(hostingSchema).min(1),
  })
  .strict();

export const vendorsManifestSchema = z.object({ vendors: z.array(vendorSchema) }).strict();
export type VendorsManifest = z.infer<typeof vendorsManifestSchema>;

/** Reads and validates a vendors manifest; errors name file, line, column and field. */
export async function readVendorsManifest(file: string, displayName = file): Promise<Resource[]> {
  const doc = await readYamlFile(file, "invalid-vendors");
  const manifest = validateDocument(
    { ...doc, file: displayName },
    vendorsManifestSchema,
    "invalid-vendors",
    "vendors manifest",
  );
  return vendorResources(manifest, displayName);
}

/** One resource per vendor, hosting entry and region (pure). */
export function vendorResources(manifest: VendorsManifest, source: string): Resource[] {
  const resources: Resource[] = [];
  for (const vendor of manifest.vendors) {
    const slug = slugify(vendor.name);
    for (const hosting of vendor.hosting) {
      const provider = hosting.provider.toLowerCase();
      const regions = hosting.regions && hosting.regions.length > 0 ? hosting.regions : [undefined];
      const types = hosting.services && hosting.services.length > 0 ? hosting.services : [undefined];
      for (const region of regions) {
        for (const type of types) {
          const parts = [slug, provider, region ?? "unspecified-region", ...(type ? [type] : [])];
          const resource: Resource = {
            id: `vendor:${parts.join("/")}`,
            provider,
            name: `${vendor.name} on ${provider}${region ? ` ${region}` : ""}`,
            tags: vendor.reference ? { "vendor-reference": vendor.reference } : {},
            vendor: vendor.name,
            source: `vendors:${source}`,
          };
          if (region !== undefined) resource.region = region;
          if (type !== undefined) resource.type = type;
          if (hosting.account !== undefined) resource.account = hosting.account;
          for (const key of ["workload", "classification", "criticality", "environment", "sector"] as const) {
            const value = vendor[key];
            if (value !== undefined) resource[key] = value;
          }
          resource.workload ??= slug;
          if (vendor.residency) resource.residency = vendor.residency;
          if (vendor.requiredCertifications) resource.requiredCertifications = vendor.requiredCertifications;
          resources.push(resource);
        }
      }
    }
  }
  return resources;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
