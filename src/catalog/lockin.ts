/**
 * Lock-in: which catalog service a resource type is. Types are matched as real inventories spell
 * them: AWS tagging-API `service:resourceType` (or derived from an ARN), a bare AWS service, Azure
 * ARM types case-insensitively (with the `kind` that separates Functions from App Service), GCP
 * Cloud Asset types, CloudFormation `AWS::Service::Type` and Terraform resource types.
 */
import type { Catalog, ServiceFacts, ServiceMatcher } from "./load.js";
import type { LockInFacts } from "./types.js";

/** Indexes services by lower-case type; kind-specific matchers come first. */
export function buildServiceIndex(services: readonly ServiceFacts[]): Map<string, ServiceMatcher[]> {
  const index = new Map<string, ServiceMatcher[]>();
  for (const service of services) {
    for (const match of service.match) {
      const type = (typeof match === "string" ? match : match.type).toLowerCase();
      const matcher: ServiceMatcher =
        typeof match === "string" ? { service } : { service, kind: match.kind.toLowerCase() };
      const list = index.get(type) ?? [];
      list.push(matcher);
      list.sort((a, b) => Number(b.kind !== undefined) - Number(a.kind !== undefined));
      index.set(type, list);
    }
  }
  return index;
}

/**
 * The type of a resource as the catalog indexes it: the given type lower-cased (CloudFormation
 * types rewritten to `service:type`), or derived from an ARN or Azure resource id when no type is
 * given. Undefined when nothing can be derived.
 */
export function resourceTypeKey(type: string | undefined, id: string): string | undefined {
  if (type !== undefined && type !== "") {
    const cloudFormation = /^AWS::([^:]+)::(.+)$/i.exec(type);
    if (cloudFormation) return `${cloudFormation[1]}:${cloudFormation[2]}`.toLowerCase();
    return type.toLowerCase();
  }
  if (id.startsWith("arn:")) return typeFromArn(id);
  if (id.startsWith("/subscriptions/") || id.toLowerCase().includes("/providers/"))
    return typeFromAzureId(id);
  return undefined;
}

/** `arn:aws:lambda:us-east-1:1:function:x` -> `lambda:function`; `arn:aws:s3:::bucket` -> `s3`. */
export function typeFromArn(arn: string): string | undefined {
  const parts = arn.split(":");
  const service = parts[2];
  if (!service) return undefined;
  let resource = parts.slice(5).join(":");
  if (resource.startsWith("/")) resource = resource.slice(1);
  const separator = resource.search(/[/:]/);
  const resourceType = separator > 0 ? resource.slice(0, separator) : undefined;
  return (resourceType ? `${service}:${resourceType}` : service).toLowerCase();
}

/** `/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/a/slots/b` -> `microsoft.web/sites/slots`. */
export function typeFromAzureId(id: string): string | undefined {
  const marker = id.toLowerCase().lastIndexOf("/providers/");
  if (marker < 0) return undefined;
  const [namespace, ...rest] = id.slice(marker + "/providers/".length).split("/");
  if (!namespace || rest.length === 0) return undefined;
  const types = rest.filter((_, index) => index % 2 === 0);
  return [namespace, ...types].join("/").toLowerCase();
}

/**
 * The lock-in facts of a resource type on a provider, or undefined when the catalog does not know
 * the service. `kind` is Azure's kind (`functionapp,linux` for a Function App).
 */
export function findService(
  catalog: Catalog,
  provider: string,
  typeKey: string,
  kind: string | undefined,
): ServiceFacts | undefined {
  for (const key of candidateKeys(typeKey)) {
    const matchers = catalog.serviceIndex.get(key);
    if (!matchers) continue;
    const lowerKind = kind?.toLowerCase();
    for (const matcher of matchers) {
      if (matcher.service.provider !== provider) continue;
      if (matcher.kind === undefined || lowerKind?.includes(matcher.kind)) {
        return matcher.service;
      }
    }
  }
  return undefined;
}

/** The exact type, then broader forms: the bare AWS service, the parent Azure resource type. */
function* candidateKeys(typeKey: string): Generator<string> {
  yield typeKey;
  const colon = typeKey.indexOf(":");
  if (colon > 0 && !typeKey.includes("/")) {
    yield typeKey.slice(0, colon);
    return;
  }
  if (typeKey.startsWith("microsoft.")) {
    const parts = typeKey.split("/");
    for (let length = parts.length - 1; length >= 2; length--) yield parts.slice(0, length).join("/");
  }
}

/** The lock-in facts attached to resources: shared per service. */
export function lockInFacts(service: ServiceFacts): LockInFacts {
  return {
    id: service.id,
    service: service.service,
    class: service.class,
    equivalents: service.equivalents,
    ...(service.note === undefined ? {} : { note: service.note }),
    ...(service.source === undefined ? {} : { source: service.source }),
    ...(service.confidence === undefined ? {} : { confidence: service.confidence }),
    layer: service.layer,
  };
}
