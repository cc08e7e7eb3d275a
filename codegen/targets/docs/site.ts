/**
 * The layout of the site: where each page lives, relative links between
 * pages, and which shapes and operations refer to each shape.
 */
import { posix } from "node:path";
import { UNIT, type Member, type Model, type OperationShape, type Shape, type ShapeId } from "../../model/ir.js";
import type { ServiceInfo } from "../common/service.js";
import { kebabCase } from "../common/naming.js";

export const INDEX_PATH = "docs/index.html";
export const STYLESHEET_PATH = "docs/assets/style.css";
export const NOT_FOUND_PATH = "docs/404.html";
export const SEARCH_INDEX_PATH = "docs/assets/search-index.js";
export const MINISEARCH_PATH = "docs/assets/minisearch.js";
export const SEARCH_SCRIPT_PATH = "docs/assets/search.js";

/** Returns the path of a page's Markdown version: `docs/operations/x.html` becomes `docs/markdown/operations/x.md`. */
export function markdownPath(page: string): string {
  return page.replace(/^docs\//, "docs/markdown/").replace(/\.html$/, ".md");
}

/** A model that the docs target cannot lay out, named with the reason. */
export class DocsError extends Error {
  override readonly name = "DocsError";
}

/** A shape that gets its own page: every shape except operations and the service. */
export type DocumentedShape = Exclude<Shape, { type: "operation" | "service" }>;

/** A place in the site: a page path, relative to the package folder, and an optional fragment id. */
export interface Location {
  readonly path: string;
  readonly fragment?: string;
}

/** A link to the place where a shape is referred to, with a label such as `ForgotPasswordRequest.Username`. */
export interface Reference extends Location {
  readonly label: string;
}

/** The pages of the site and the references between them. */
export interface SiteMap {
  /** Page paths of shapes, by shape id, in model order. */
  readonly shapePages: ReadonlyMap<ShapeId, string>;
  /** Page paths of operations, by shape id, in the order the service lists them. */
  readonly operationPages: ReadonlyMap<ShapeId, string>;
  /** For each shape, every member, operation or service that refers to it, sorted by label. */
  readonly references: ReadonlyMap<ShapeId, readonly Reference[]>;
}

/** Returns the href of `to` as seen from the page `from`. Both paths are relative to the package folder. */
export function relativeHref(from: string, to: Location): string {
  const path = posix.relative(posix.dirname(from), to.path);
  return to.fragment === undefined ? path : `${path}#${to.fragment}`;
}

/** Returns true for shapes that get a page of their own. */
export function isDocumentedShape(shape: Shape): shape is DocumentedShape {
  return shape.type !== "operation" && shape.type !== "service";
}

/** Assigns a page to every operation and documented shape, and collects who refers to each shape. */
export function buildSiteMap(model: Model, service: ServiceInfo): SiteMap {
  const shapePages = new Map<ShapeId, string>();
  const operationPages = new Map<ShapeId, string>();
  const owners = new Map<string, ShapeId>();

  const claim = (id: ShapeId, path: string): string => {
    const owner = owners.get(path);
    if (owner !== undefined) throw new DocsError(`shapes '${owner}' and '${id}' would both be documented at '${path}'; rename one of them`);
    owners.set(path, id);
    return path;
  };

  for (const operation of service.operations) {
    operationPages.set(operation.id, claim(operation.id, `docs/operations/${kebabCase(operation.name)}.html`));
  }
  for (const shape of model.shapes.values()) {
    if (isDocumentedShape(shape)) shapePages.set(shape.id, claim(shape.id, `docs/shapes/${kebabCase(shape.name)}.html`));
  }

  return { shapePages, operationPages, references: collectReferences(model, service, shapePages, operationPages) };
}

function collectReferences(
  model: Model,
  service: ServiceInfo,
  shapePages: ReadonlyMap<ShapeId, string>,
  operationPages: ReadonlyMap<ShapeId, string>,
): Map<ShapeId, Reference[]> {
  const references = new Map<ShapeId, Reference[]>();
  const add = (target: ShapeId, reference: Reference): void => {
    if (target === UNIT || !shapePages.has(target)) return;
    const list = references.get(target) ?? [];
    if (!list.some((r) => r.label === reference.label && r.path === reference.path && r.fragment === reference.fragment)) list.push(reference);
    references.set(target, list);
  };

  for (const shape of model.shapes.values()) {
    const path = shapePages.get(shape.id);
    if (path === undefined) continue;
    for (const [role, member] of membersOf(shape)) {
      add(member.target, { label: role === "member" ? `${shape.name}.${member.name}` : `${shape.name} (${role})`, path, fragment: `member-${member.name}` });
    }
  }

  for (const operation of service.operations) {
    addOperationReferences(operation, operationPages.get(operation.id)!, add);
  }
  for (const error of service.shape.errors) {
    add(error, { label: `${service.shape.name} (error of every operation)`, path: INDEX_PATH, fragment: "service-errors" });
  }

  for (const list of references.values()) list.sort((a, b) => compareText(a.label, b.label) || compareText(a.path, b.path));
  return references;
}

function addOperationReferences(operation: OperationShape, path: string, add: (target: ShapeId, reference: Reference) => void): void {
  add(operation.input, { label: `${operation.name} (request)`, path, fragment: "request" });
  add(operation.output, { label: `${operation.name} (response)`, path, fragment: "response" });
  for (const error of operation.errors) add(error, { label: `${operation.name} (error)`, path, fragment: `error-${splitName(error)}` });
}

/** Returns the members of a shape with their role: `member` in a structure or union, `list member`, `key` or `value` otherwise. */
export function membersOf(shape: Shape): [role: "member" | "list member" | "key" | "value", member: Member][] {
  switch (shape.type) {
    case "structure":
    case "union":
      return shape.members.map((m) => ["member", m]);
    case "list":
      return [["list member", shape.member]];
    case "map":
      return [
        ["key", shape.key],
        ["value", shape.value],
      ];
    default:
      return [];
  }
}

function splitName(id: ShapeId): string {
  return id.slice(id.indexOf("#") + 1);
}

/** Compares strings by UTF-16 code units, which unlike localeCompare gives the same order on every machine. */
export function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
