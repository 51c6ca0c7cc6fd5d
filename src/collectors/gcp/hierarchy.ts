/**
 * The resource hierarchy through Resource Manager v3: organisation -> folders (recursively) ->
 * projects, with each project's labels and its ancestors, so a workload can be traced to a folder.
 */
import type { GcpClients } from "./clients.js";
import type { FailureContext } from "./diagnose.js";
import { describeGoogleError, type GoogleApiFailure } from "./errors.js";
import type { GcpProject } from "./mapper.js";
import { type GoogleCall, readAllPages } from "./paging.js";
import { GoogleCallError } from "./retry.js";

const PAGE_SIZE = 500;

/** Where projects are looked for. */
export interface HierarchyRoots {
  organization?: string | undefined;
  folders?: readonly string[] | undefined;
  projects?: readonly string[] | undefined;
}

/** A part of the hierarchy that could not be read. */
export interface HierarchyFailure {
  failure: GoogleApiFailure;
  context: FailureContext;
}

/** Every project found, in a stable order, and what could not be read on the way. */
export interface HierarchyResult {
  projects: GcpProject[];
  failures: HierarchyFailure[];
}

interface ProjectMessage {
  name?: string | null;
  parent?: string | null;
  projectId?: string | null;
  displayName?: string | null;
  state?: unknown;
  labels?: Record<string, string> | null;
}

/** Projects and folders pending deletion are left out; an unset state (proto default) counts as active. */
function isActive(state: unknown): boolean {
  return state !== "DELETE_REQUESTED" && state !== 2;
}

function folderName(id: string): string {
  return id.startsWith("folders/") ? id : `folders/${id}`;
}

function scopeOf(resourceName: string): Record<string, string> {
  const [kind, id = resourceName] = resourceName.split("/");
  const key = kind === "organizations" ? "organization" : kind === "folders" ? "folder" : "project";
  return { [key]: id };
}

function toProject(message: ProjectMessage, hierarchy: string[]): GcpProject | undefined {
  if (!message.projectId || !message.name) return undefined;
  const project: GcpProject = {
    projectId: message.projectId,
    name: message.name,
    labels: { ...message.labels },
    hierarchy,
  };
  if (message.displayName) project.displayName = message.displayName;
  if (message.parent) project.parent = message.parent;
  return project;
}

/** Walks the hierarchy below `roots` (or every project the credentials can see, without roots). */
export async function discoverProjects(
  clients: GcpClients,
  roots: HierarchyRoots,
  call: GoogleCall,
): Promise<HierarchyResult> {
  const failures: HierarchyFailure[] = [];
  const found: GcpProject[] = [];

  const record = (error: unknown, context: Omit<FailureContext, "attempts">) => {
    const attempts = error instanceof GoogleCallError ? error.attempts : 1;
    const failure = error instanceof GoogleCallError ? error.failure : describeGoogleError(error);
    failures.push({ failure, context: { ...context, attempts } });
  };

  const ancestorCache = new Map<string, Promise<string[]>>();
  /** Ancestors of `resourceName`, outermost first, `resourceName` included. */
  const ancestorsOf = (resourceName: string): Promise<string[]> => {
    let cached = ancestorCache.get(resourceName);
    if (!cached) {
      cached = (async () => {
        if (!resourceName.startsWith("folders/")) return [resourceName];
        try {
          const [folder] = await call(() => clients.folders.getFolder({ name: resourceName }));
          return folder.parent ? [...(await ancestorsOf(folder.parent)), resourceName] : [resourceName];
        } catch (error) {
          record(error, {
            api: "resourcemanager",
            action: `read folder ${resourceName} (the hierarchy above it stays unknown)`,
            target: resourceName,
            scope: scopeOf(resourceName),
            level: "warning",
          });
          return [resourceName];
        }
      })();
      ancestorCache.set(resourceName, cached);
    }
    return cached;
  };

  const listProjectsUnder = async (parent: string, hierarchy: string[]) => {
    try {
      const projects = await readAllPages(
        (pageToken) =>
          clients.projects.listProjects({ parent, pageSize: PAGE_SIZE, pageToken }, { autoPaginate: false }),
        call,
      );
      for (const message of projects) {
        if (!isActive(message.state)) continue;
        const project = toProject(message, hierarchy);
        if (project) found.push(project);
      }
    } catch (error) {
      record(error, {
        api: "resourcemanager",
        action: `list the projects of ${parent} (its projects were not scanned)`,
        target: parent,
        scope: scopeOf(parent),
      });
    }
  };

  const visit = async (parent: string, hierarchy: string[]): Promise<void> => {
    const projects = listProjectsUnder(parent, hierarchy);
    let folders: Array<{ name?: string | null; state?: unknown }> = [];
    try {
      folders = await readAllPages(
        (pageToken) =>
          clients.folders.listFolders({ parent, pageSize: PAGE_SIZE, pageToken }, { autoPaginate: false }),
        call,
      );
    } catch (error) {
      record(error, {
        api: "resourcemanager",
        action: `list the folders of ${parent} (projects in its sub-folders were not scanned)`,
        target: parent,
        scope: scopeOf(parent),
      });
    }
    await Promise.all([
      projects,
      ...folders
        .filter((folder) => folder.name && isActive(folder.state))
        .map((folder) => visit(folder.name as string, [...hierarchy, folder.name as string])),
    ]);
  };

  const explicitProject = async (projectId: string) => {
    const name = `projects/${projectId}`;
    try {
      const [message] = await call(() => clients.projects.getProject({ name }));
      const hierarchy = message.parent ? await ancestorsOf(message.parent) : [];
      const project = toProject(message, hierarchy);
      if (project) found.push(project);
    } catch (error) {
      record(error, {
        api: "resourcemanager",
        action: `read project ${projectId} (its labels and folders stay unknown; its resources are still searched)`,
        target: name,
        scope: { project: projectId },
        level: "warning",
      });
      found.push({ projectId, name, labels: {}, hierarchy: [] });
    }
  };

  const tasks: Promise<void>[] = [];
  if (roots.organization) {
    const organization = `organizations/${roots.organization}`;
    tasks.push(visit(organization, [organization]));
  }
  for (const id of roots.folders ?? []) {
    const folder = folderName(id);
    tasks.push(ancestorsOf(folder).then((hierarchy) => visit(folder, hierarchy)));
  }
  for (const projectId of roots.projects ?? []) tasks.push(explicitProject(projectId));
  if (tasks.length === 0) {
    tasks.push(
      (async () => {
        try {
          const projects = await readAllPages(
            (pageToken) =>
              clients.projects.searchProjects(
                { query: "state:ACTIVE", pageSize: PAGE_SIZE, pageToken },
                { autoPaginate: false },
              ),
            call,
          );
          await Promise.all(
            projects
              .filter((message) => isActive(message.state))
              .map(async (message) => {
                const hierarchy = message.parent ? await ancestorsOf(message.parent) : [];
                const project = toProject(message, hierarchy);
                if (project) found.push(project);
              }),
          );
        } catch (error) {
          record(error, {
            api: "resourcemanager",
            action: "search the projects these credentials can see",
            target: "projects",
            scope: {},
          });
        }
      })(),
    );
  }
  await Promise.all(tasks);

  // A project reachable twice (an explicit folder inside the organisation) is scanned once.
  const byId = new Map<string, GcpProject>();
  for (const project of found) if (!byId.has(project.projectId)) byId.set(project.projectId, project);
  const projects = [...byId.values()].sort((a, b) => a.projectId.localeCompare(b.projectId));
  return { projects, failures };
}
