/**
 * The normalized inventory: what every source (files, vendors, Terraform plans, cloud collectors)
 * produces and every later stage reads. Field names follow SPEC section 2.2.
 */

/** One cloud resource (or one vendor-hosted deployment) the organisation depends on. */
export interface Resource {
  /** Provider-native id: ARN, Azure resource id, GCP full resource name, or any unique string. */
  id: string;
  /** Catalog provider id (`aws`, `azure`, `gcp`, ...) or `onprem`. */
  provider: string;
  /** Provider region code (`us-east-1`, `koreacentral`, `asia-northeast3`) or `global`. */
  region?: string;
  /** AWS account, Azure subscription, GCP project, or equivalent. */
  account?: string;
  /** Provider-native type: `s3:bucket`, `Microsoft.Compute/virtualMachines`, `sqladmin.googleapis.com/Instance`. */
  type?: string;
  /** Display name. */
  name?: string;
  /** Tags or labels, string to string. Keys keep their original case. */
  tags: Record<string, string>;
  /** Third party that runs this resource for the organisation (vendors manifest). */
  vendor?: string;
  classification?: string;
  workload?: string;
  environment?: string;
  criticality?: string;
  /** `public` or `private`. */
  sector?: string;
  /** ISO 3166-1 alpha-2 country codes the data must stay in. */
  residency?: string[];
  /** Certification ids (`csap-high`, `fedramp-high`, ...) the resource requires. */
  requiredCertifications?: string[];
  /** Provider-specific kind that changes the service (Azure `kind`: `functionapp` vs `app`). */
  kind?: string;
  /**
   * Where the resource came from: an inventory file path, `vendors:<file>`, `terraform:<file>`,
   * or a collection scope such as `aws:123456789012/eu-west-1`.
   */
  source?: string;
  /**
   * Provenance of individual tags when they did not come from the resource itself, e.g. GCP project
   * labels inherited by a resource: `{ "env": "projects/shop-prod" }`.
   */
  tagOrigins?: Record<string, string>;
  /** Resource hierarchy above the account (GCP folders, Azure management groups), outermost first. */
  hierarchy?: string[];
}

/** The derived attributes of a resource, read from tags unless set directly (SPEC 2.1 `tags`). */
export const DERIVED_ATTRIBUTES = [
  "classification",
  "workload",
  "environment",
  "criticality",
  "sector",
  "residency",
  "certification",
] as const;
export type DerivedAttribute = (typeof DERIVED_ATTRIBUTES)[number];
