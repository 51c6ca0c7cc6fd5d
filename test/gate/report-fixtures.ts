/** Findings and reports for gate and formatter tests, built the way the scan builds them. */
import type { Finding, Report, RuleSummary } from "../../src/report/types.js";

export const competitorRule: RuleSummary = {
  id: "competitor-hosted-sensitive-data",
  title: "Sensitive data hosted by a competitor",
  severity: "high",
  category: "conflict-of-interest",
  description:
    "A resource with a sensitive classification is hosted by a provider whose parent competes with you.",
  rationale: "Walmart, 2017: sensitive information on a competitor's platform.",
  remediation:
    "Move the data to a provider that does not compete with you, or waive it with a documented reason.",
  references: ["https://www.wsj.com/articles/wal-mart-to-vendors-get-off-amazons-cloud-1498037402", "SPEC 1"],
};

export const concentrationRule: RuleSummary = {
  id: "provider-concentration",
  title: "Provider concentration",
  severity: "medium",
  category: "concentration",
  description: "One provider holds more than the threshold of the organisation's resources.",
};

export const coverageRule: RuleSummary = {
  id: "classification-coverage",
  title: "Classification coverage",
  severity: "low",
  category: "coverage",
  description: "Too few resources carry a classification.",
};

/** A finding of the competitor rule on one resource. */
export function bucketFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "competitor-hosted-sensitive-data",
    severity: "high",
    category: "conflict-of-interest",
    resourceId: "terraform:aws_s3_bucket.pos_exports",
    provider: "aws",
    subject: null,
    message:
      "confidential data in pos-exports is hosted by aws, whose parent amazon competes in retail, grocery",
    data: {},
    fingerprint: "fp-bucket-0001",
    waived: false,
    source: "terraform:plan.json",
    ...overrides,
  };
}

/** An aggregate finding about one provider. */
export function concentrationFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "provider-concentration",
    severity: "medium",
    category: "concentration",
    resourceId: null,
    provider: "aws",
    subject: { provider: "aws" },
    message: "aws holds 72% of resources (threshold 60%)",
    data: { share: 0.72 },
    fingerprint: "fp-concentration-aws",
    waived: false,
    ...overrides,
  };
}

/** A complete report around the given findings. */
export function reportWith(findings: Finding[], overrides: Partial<Report> = {}): Report {
  const counts = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return {
    schemaVersion: 1,
    tool: { name: "landlord", version: "0.1.0" },
    generatedAt: "2026-11-21T00:00:00Z",
    organization: { name: "Example Retail Co" },
    summary: { resources: 4, findings: counts, complete: true },
    metrics: {
      providers: [{ provider: "aws", parent: "amazon", resources: 1, share: 0.25 }],
      parents: [{ parent: "amazon", resources: 1, share: 0.25 }],
      hhi: { provider: 4375, parent: 4375 },
    },
    findings,
    diagnostics: [],
    coverage: [{ source: "terraform", scope: { file: "plan.json" }, status: "complete", resources: 1 }],
    rules: [competitorRule, concentrationRule, coverageRule],
    ...overrides,
  };
}
