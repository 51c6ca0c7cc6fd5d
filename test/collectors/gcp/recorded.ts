/**
 * Turns the recorded Google responses in `../shared/fixtures/recorded/gcp` into fake-server data:
 * gcpdiag's v3 project bodies and v1 searchAllResources page as they are, Custodian's v1/v2
 * Resource Manager and v1p1beta1 asset flights converted to their v3/v1 shapes.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type {
  FakeAsset,
  FakeFolder,
  FakeGoogleOptions,
  FakeOrganization,
  FakeProject,
  FakeScopeError,
} from "./fake-google.js";

/** The recorded GCP folder, or undefined when the shared fixtures are not checked out. */
export function recordedGcpRoot(): string | undefined {
  const root = path.resolve(import.meta.dirname, "../../../../shared/fixtures/recorded/gcp");
  return existsSync(root) ? root : undefined;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** A Custodian flight: `{ headers: { status, ... }, body }`. */
function flightBody(file: string): Record<string, unknown> {
  return (readJson(file) as { body: Record<string, unknown> }).body;
}

interface V1Project {
  projectNumber: string;
  projectId: string;
  lifecycleState?: string;
  name?: string;
  labels?: Record<string, string>;
  parent?: { type: string; id: string };
}

function projectFromV1(project: V1Project): FakeProject {
  const converted: FakeProject = { name: `projects/${project.projectNumber}`, projectId: project.projectId };
  if (project.parent) converted.parent = `${project.parent.type}s/${project.parent.id}`;
  if (project.name) converted.displayName = project.name;
  if (project.lifecycleState) converted.state = project.lifecycleState;
  if (project.labels) converted.labels = project.labels;
  return converted;
}

function folderFromV2(folder: Record<string, unknown>): FakeFolder {
  return {
    name: String(folder["name"]),
    parent: String(folder["parent"]),
    displayName: String(folder["displayName"]),
    state: String(folder["lifecycleState"] ?? "ACTIVE"),
  };
}

/** The recorded data as fake-server options, plus what a replay scan should be pointed at. */
export interface RecordedGcp {
  options: FakeGoogleOptions;
  /** The organisation of Custodian's project-hierarchy flight. */
  organization: string;
  /** Projects named explicitly: every gcpdiag project and Custodian's `cloud-custodian`. */
  projects: string[];
  /** The project whose asset search answers with the recorded 403 "API disabled" body. */
  disabledProject: string;
}

export function loadRecordedGcp(root: string): RecordedGcp {
  const projects: FakeProject[] = [];
  const folders: FakeFolder[] = [];
  const organizations: FakeOrganization[] = [];
  const assets: Record<string, FakeAsset[]> = {};
  const addProject = (project: FakeProject) => {
    if (!projects.some((known) => known.projectId === project.projectId)) projects.push(project);
  };

  const flights = path.join(root, "custodian-flights");
  const hierarchy = flightBody(path.join(flights, "project-hierarchy/get-v1-projects_1.json"));
  for (const project of hierarchy["projects"] as V1Project[]) addProject(projectFromV1(project));
  for (const id of ["264112811077", "389734459213"]) {
    folders.push(
      folderFromV2(flightBody(path.join(flights, `project-hierarchy/get-v2-folders-${id}_1.json`))),
    );
  }
  for (const folder of flightBody(path.join(flights, "folder-query/get-v2-folders_1.json"))[
    "folders"
  ] as Record<string, unknown>[]) {
    folders.push(folderFromV2(folder));
  }
  for (const organization of flightBody(
    path.join(flights, "organization-query/post-v1-organizations-search_1.json"),
  )["organizations"] as Record<string, unknown>[]) {
    organizations.push({
      name: String(organization["name"]),
      displayName: String(organization["displayName"]),
    });
  }
  const custodian = projectFromV1(
    flightBody(
      path.join(flights, "project-get-resource/get-v1-projects-cloud-custodian_1.json"),
    ) as unknown as V1Project,
  );
  addProject(custodian);
  assets[custodian.projectId] = flightBody(
    path.join(
      flights,
      "instance-asset-query/get-v1p1beta1-projects-cloud-custodian-resources-searchAll_1.json",
    ),
  )["results"] as FakeAsset[];

  const disabledFlight = readJson(
    path.join(flights, "app-engine-api-disabled/get-v1-apps-cloud-custodian_1.json"),
  ) as {
    headers: { status: string };
    body: unknown;
  };
  const disabled: FakeScopeError = {
    status: Number(disabledFlight.headers.status),
    body: disabledFlight.body,
  };

  const scenarios = path.join(root, "gcpdiag/test-data");
  const gcpdiagProjects: string[] = [];
  for (const scenario of readdirSync(scenarios).sort()) {
    const file = path.join(scenarios, scenario, "json-dumps/project.json");
    if (!existsSync(file)) continue;
    const project = readJson(file) as FakeProject;
    addProject(project);
    gcpdiagProjects.push(project.projectId);
  }
  const page = readJson(
    path.join(scenarios, "cloudasset1/json-dumps/search-all-resources-us-central1.json"),
  ) as {
    results: FakeAsset[];
  };
  assets["cloudasset1-test-project"] = page.results;

  const disabledProject = "practical-truck-276716";
  return {
    options: {
      organizations,
      folders,
      projects,
      assets,
      scopeErrors: { [`projects/${disabledProject}`]: disabled },
      // Small pages, so the recorded search results arrive over several pages.
      maxPageSize: 2,
    },
    organization: "11144",
    projects: [...gcpdiagProjects, custodian.projectId],
    disabledProject,
  };
}
