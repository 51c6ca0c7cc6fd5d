/**
 * A scan lets go of resource tags as each record is read when no rule reads them (they are most of
 * what a large inventory holds in memory), and keeps them when a rule does: what the user sees must
 * not depend on that choice.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectInventory, scan } from "../../src/scan.js";
import { folderWith, profileOf, ruleText } from "../rules/helpers.js";

const records = [
  {
    id: "orders-db",
    provider: "aws",
    region: "us-east-1",
    tags: { "data-classification": "confidential", app: "orders", owner: "payments-team" },
  },
  {
    id: "media",
    provider: "azure",
    region: "eastus",
    tags: { owner: "media-team", env: "prod" },
    tagOrigins: { env: "subscription" },
  },
];

async function estate(rules: Record<string, string> = {}) {
  const dir = await folderWith({
    "inventory.jsonl": `${records.map((record) => JSON.stringify(record)).join("\n")}\n`,
    ...rules,
  });
  const profile = profileOf(
    {
      organization: { segments: ["retail"] },
      sources: [{ file: "inventory.jsonl" }],
      ...(Object.keys(rules).length > 0 ? { rules: { paths: ["."] } } : {}),
    },
    dir,
  );
  return { dir, profile };
}

const scanTime = new Date("2026-01-15T00:00:00Z");

describe("resource tags in a scan", () => {
  it("reach a custom rule that reads them", async () => {
    const { profile } = await estate({
      "payments-owned.yaml": ruleText(
        "payments-owned",
        'condition: \'"owner" in resource.tags && resource.tags["owner"] == "payments-team"\'',
      ),
    });
    const { report } = await scan({ profile, scanTime });
    const fired = report.findings.filter((finding) => finding.ruleId === "payments-owned");
    expect(fired.map((finding) => finding.resourceId)).toEqual(["orders-db"]);
  });

  it("still derive every attribute, and inherited tags still reach the inventory export, when no rule reads them", async () => {
    const { profile } = await estate();
    const { report, resources } = await scan({ profile, scanTime, includeInventory: true });
    const orders = resources.find((resource) => resource.id === "orders-db");
    expect(orders?.classification).toBe("confidential");
    expect(orders?.workload).toBe("orders");
    expect(report.findings.some((finding) => finding.resourceId === "orders-db")).toBe(true);
    const media = report.inventory?.find((row) => row.id === "media");
    expect(media?.inheritedTags).toBe("env=prod (from subscription)");
    expect(media?.environment).toBe("prod");
  });

  it("are all kept for `landlord collect`, which writes them out", async () => {
    const { profile, dir } = await estate();
    const inventory = await collectInventory({ profile, displayRoot: dir });
    expect(inventory.resources.map((resource) => resource.tags)).toEqual(
      records.map((record) => record.tags),
    );
    expect(path.basename(inventory.resources[0]?.source ?? "")).toBe("inventory.jsonl");
  });
});
