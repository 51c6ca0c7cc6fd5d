/**
 * `landlord catalog providers | regions [provider] | show <id>`: look at the builtin knowledge, with
 * the profile's catalog overrides applied, as terminal tables or as JSON.
 */
import path from "node:path";
import { Command } from "commander";
import pc from "picocolors";
import {
  type Catalog,
  certificationInForce,
  listEntryInForce,
  loadCatalog,
  regionsOf,
} from "../../catalog/index.js";
import type { ProviderFacts, RegionFacts } from "../../catalog/types.js";
import { EXIT, formatLocation, LandlordError } from "../../diagnostics.js";
import { findProfile, loadProfile } from "../../profile/load.js";
import { type CliContext, colorEnabled } from "../context.js";

interface CatalogOptions {
  json?: boolean;
  config?: string;
  catalog?: string;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Builds the `catalog` command. */
export function catalogCommand(context: CliContext): Command {
  const command = new Command("catalog")
    .description("look at the builtin knowledge: providers, their regions, and everything about one id")
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });

  withOptions(command.command("providers"))
    .description("list providers with their parent company, home country, competing segments and lists")
    .action((options: CatalogOptions) =>
      run(context, options, (catalog, colors) => {
        const providers = [...catalog.providers.values()].sort((a, b) => a.id.localeCompare(b.id));
        if (options.json) return json({ version: catalog.version, providers });
        const now = context.now();
        return table(
          colors,
          ["PROVIDER", "NAME", "PARENT", "HQ", "REGIONS", "LISTED", "COMPETING SEGMENTS"],
          providers.map((provider) => [
            provider.id,
            provider.name,
            provider.parent,
            provider.headquarters || "-",
            provider.hasRegionTable ? String(regionsOf(catalog, provider.id).length) : "-",
            provider.lists
              .filter((entry) => listEntryInForce(entry, now))
              .map((entry) => entry.list)
              .join(", ") || "-",
            provider.competingSegments.map((segment) => segment.segment).join(", ") || "-",
          ]),
          `catalog ${catalog.version}: ${providers.length} providers`,
          terminalColumns(context),
        );
      }),
    );

  withOptions(command.command("regions").argument("[provider]", "only this provider's regions"))
    .description(
      "list regions: code, country, city and flags (government, sovereign, China-operated, closed)",
    )
    .action((provider: string | undefined, options: CatalogOptions) =>
      run(context, options, (catalog, colors) => {
        if (provider !== undefined && !catalog.providers.has(provider)) {
          throw unknownId(catalog, provider, "provider");
        }
        const providers = provider === undefined ? [...catalog.regions.keys()].sort() : [provider];
        const rows = providers.flatMap((id) =>
          regionsOf(catalog, id).map((region) => ({ provider: id, ...region })),
        );
        if (options.json) return json({ version: catalog.version, regions: rows });
        if (rows.length === 0) {
          return `${provider} has no region table in the catalog; declare its regions in the profile's catalog file.\n`;
        }
        return table(
          colors,
          ["PROVIDER", "REGION", "COUNTRY", "CITY", "FLAGS"],
          rows.map((region) => [
            region.provider,
            region.code,
            region.country ?? "-",
            region.city ?? "-",
            flags(region),
          ]),
          `${rows.length} regions`,
          terminalColumns(context),
        );
      }),
    );

  withOptions(
    command
      .command("show")
      .argument("<id>", "a provider, parent company, segment, law, list, scheme or service id"),
  )
    .description("show everything the catalog knows about one id, with sources")
    .action((id: string, options: CatalogOptions) =>
      run(context, options, (catalog, colors) => {
        const found = lookup(catalog, id);
        if (!found) throw unknownId(catalog, id, "id");
        if (options.json) return json({ version: catalog.version, kind: found.kind, ...found.value });
        if (found.kind === "provider")
          return showProvider(catalog, found.value as ProviderFacts, colors, context.now());
        return `${colors.bold(`${found.kind} ${id}`)}\n${yamlish(found.value, "  ")}`;
      }),
    );

  return command;
}

function withOptions(command: Command): Command {
  return command
    .option("--json", "print JSON instead of a table")
    .option("--config <file>", "profile whose catalog: file overrides the builtin catalog")
    .option("--catalog <file>", "catalog override file (instead of the profile's)");
}

async function run(
  context: CliContext,
  options: CatalogOptions,
  render: (catalog: Catalog, colors: Colors) => string,
): Promise<void> {
  try {
    const overrideFile = await overrideFileOf(context, options);
    const catalog = await loadCatalog(overrideFile === undefined ? {} : { overrideFile });
    context.stdout.write(render(catalog, pc.createColors(colorEnabled(context, context.stdout))));
    context.exitCode = EXIT.ok;
  } catch (error) {
    if (!(error instanceof LandlordError)) throw error;
    writeError(context, error);
    context.exitCode = error.exitCode;
  }
}

/** `--catalog`, else the `catalog:` of the profile (`--config`, or landlord.yaml in the working directory). */
async function overrideFileOf(context: CliContext, options: CatalogOptions): Promise<string | undefined> {
  if (options.catalog !== undefined) return path.resolve(context.cwd, options.catalog);
  const profileFile = await findProfile(context.cwd, options.config);
  if (profileFile === undefined) return undefined;
  const profile = await loadProfile(profileFile);
  return profile.catalog === undefined ? undefined : path.resolve(profile.baseDir, profile.catalog);
}

function writeError(context: CliContext, error: LandlordError): void {
  const lines = [`error ${error.code}: ${error.message}`];
  for (const detail of error.details) {
    lines.push(`  ${detail.location ? `${formatLocation(detail.location)}: ` : ""}${detail.message}`);
  }
  if (error.hint) lines.push(`hint: ${error.hint}`);
  context.stderr.write(`${lines.join("\n")}\n`);
}

function unknownId(catalog: Catalog, id: string, what: string): LandlordError {
  const close = [...catalog.providers.keys(), ...catalog.parents.keys(), ...catalog.segments.keys()]
    .filter((known) => known.startsWith(id.slice(0, 2)))
    .slice(0, 5);
  return new LandlordError("unknown-catalog-id", `the catalog has no ${what} "${id}"`, {
    hint:
      close.length > 0
        ? `Did you mean ${close.join(", ")}?`
        : "Run `landlord catalog providers` to see the ids.",
  });
}

type Found = { kind: string; value: object };

function lookup(catalog: Catalog, id: string): Found | undefined {
  const provider = catalog.providers.get(id);
  if (provider) return { kind: "provider", value: provider };
  const parent = catalog.parents.get(id);
  if (parent) {
    const providers = [...catalog.providers.values()].filter((p) => p.parent === id).map((p) => p.id);
    return { kind: "parent", value: { ...parent, providers } };
  }
  const segment = catalog.segments.get(id);
  if (segment) {
    const competitors = [...catalog.providers.values()]
      .filter((p) => p.competingSegments.some((s) => s.segment === id))
      .map((p) => p.id);
    return { kind: "segment", value: { ...segment, providers: competitors } };
  }
  const law = catalog.laws.get(id);
  if (law) return { kind: "law", value: law };
  const list = catalog.lists.get(id);
  if (list) return { kind: "list", value: list };
  const scheme = catalog.schemes.get(id);
  if (scheme) return { kind: "scheme", value: scheme };
  const service = catalog.services.find((s) => s.id === id);
  if (service) return { kind: "service", value: service };
  return undefined;
}

function showProvider(catalog: Catalog, provider: ProviderFacts, colors: Colors, now: Date): string {
  const lines: string[] = [];
  const tag = (confidence: string | undefined) =>
    confidence && confidence !== "verified" ? colors.dim(` [${confidence}]`) : "";
  const from = (fact: { source?: string; layer?: string }) =>
    colors.dim(`${fact.source ? ` (${fact.source})` : ""}${fact.layer === "override" ? " [override]" : ""}`);
  lines.push(
    `${colors.bold(provider.name)} (${provider.id})${provider.layer === "override" ? " [override]" : ""}`,
  );
  lines.push(
    `  parent        ${provider.parentName} (${provider.parent})${provider.headquarters ? `, ${[provider.headquartersCity, provider.headquarters].filter(Boolean).join(", ")}` : ""}${tag(provider.confidence)}`,
  );
  if (provider.runsOn) lines.push(`  runs on       ${provider.runsOn}`);
  lines.push(`  access laws   ${provider.accessLaws.map((law) => law.name).join("; ") || "none recorded"}`);
  lines.push(
    `  regions       ${provider.hasRegionTable ? `${regionsOf(catalog, provider.id).length}: landlord catalog regions ${provider.id}` : "no region table"}`,
  );
  lines.push("  competing segments");
  if (provider.competingSegments.length === 0) lines.push("    none");
  for (const segment of provider.competingSegments) {
    lines.push(
      `    ${segment.segment.padEnd(20)} ${segment.since ?? "    "}  ${segment.evidence}${tag(segment.confidence)}${from(segment)}`,
    );
  }
  lines.push("  restricted lists");
  if (provider.lists.length === 0) lines.push("    none");
  for (const entry of provider.lists) {
    const period = `${entry.listed ?? "date unknown"}${entry.until ? ` to ${entry.until}` : ""}`;
    const state = listEntryInForce(entry, now) ? "" : colors.dim(" (not in force)");
    lines.push(
      `    ${entry.name} (${entry.jurisdiction}), ${period}${state}${tag(entry.confidence)}${from(entry)}`,
    );
  }
  lines.push("  certifications");
  if ((provider.certifications ?? []).length === 0) lines.push("    none");
  for (const certification of provider.certifications ?? []) {
    const period = `${certification.validFrom ?? "?"} to ${certification.validUntil ?? "open"}`;
    const scope = certification.regions ? ` in ${certification.regions.join(", ")}` : "";
    const state = certificationInForce(certification, now) ? "" : colors.dim(" (not in force)");
    lines.push(
      `    ${certification.id.padEnd(16)} ${period}${scope}${state}${tag(certification.confidence)}${from(certification)}`,
    );
  }
  for (const note of provider.notes ?? []) lines.push(colors.dim(`  note: ${note}`));
  return `${lines.join("\n")}\n`;
}

function flags(region: RegionFacts): string {
  const list: string[] = [];
  if (region.government) list.push("government");
  if (region.sovereign) list.push("sovereign");
  if (region.chinaOperated) list.push(`china-operated by ${region.operator ?? "?"}`);
  else if (region.operator) list.push(`operator ${region.operator}`);
  if (region.closed) list.push("closed");
  if (region.restricted) list.push("restricted");
  if (region.confidence === "uncertain") list.push("uncertain");
  if (region.layer === "override") list.push("override");
  return list.join(", ");
}

function table(colors: Colors, header: string[], rows: string[][], footer: string, columns?: number): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) => {
    const text = cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
    // In a terminal, cut the long last column rather than wrap every row.
    return columns !== undefined && columns > 40 && text.length > columns
      ? `${text.slice(0, columns - 1)}…`
      : text;
  };
  return `${[colors.bold(line(header)), ...rows.map(line), colors.dim(footer)].join("\n")}\n`;
}

function terminalColumns(context: CliContext): number | undefined {
  return context.stdout.isTTY ? context.stdout.columns : undefined;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A short indented rendering of a plain object for `show` of non-provider ids. */
function yamlish(value: object, indent: string): string {
  return Object.entries(value)
    .filter(([, field]) => field !== undefined)
    .map(([key, field]) => {
      if (Array.isArray(field)) {
        return `${indent}${key}: ${field.map((item) => (typeof item === "object" ? JSON.stringify(item) : String(item))).join(", ")}`;
      }
      if (field && typeof field === "object") return `${indent}${key}:\n${yamlish(field, `${indent}  `)}`;
      return `${indent}${key}: ${String(field)}`;
    })
    .join("\n")
    .concat("\n");
}
