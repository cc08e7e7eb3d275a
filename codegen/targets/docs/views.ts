/**
 * Builds the data each template renders. All text is plain and escaped by
 * Handlebars, except model documentation, which arrives as a SafeString from
 * `renderDocumentation` and is therefore already sanitized.
 */
import type Handlebars from "handlebars";
import { UNIT, splitShapeId, type Deprecation, type Member, type Model, type OperationShape, type Shape, type ShapeId } from "../../model/ir.js";
import { operationErrors, type ServiceInfo } from "../common/service.js";
import { describeConstraints, shapeTypeOf, type Constraint } from "./constraints.js";
import { renderDocumentation, summarize } from "./documentation.js";
import { operationExamples, jsonSyntax, isUnsigned } from "./examples.js";
import { INDEX_PATH, MINISEARCH_PATH, SEARCH_INDEX_PATH, SEARCH_SCRIPT_PATH, STYLESHEET_PATH, compareText, markdownPath, membersOf, relativeHref, type DocumentedShape, type Location, type SiteMap } from "./site.js";
import { words } from "../common/naming.js";

/** Fields that the layout of every page reads. */
export interface LayoutView {
  readonly pageTitle: string;
  /** The first sentence of the page's documentation, for the description meta tag. */
  readonly description: string;
  readonly serviceTitle: string;
  readonly packageName: string;
  readonly stylesheetHref: string;
  /** The site root as seen from the page (`""` or `"../"`), which the search script puts before result links. */
  readonly siteRoot: string;
  readonly minisearchHref: string;
  readonly searchIndexHref: string;
  readonly searchScriptHref: string;
  /** The Markdown version of the page; null for the 404 page, which has none. */
  readonly markdownHref: string | null;
  /** The page's URL under `--base-path`, or null when the site is built without one. */
  readonly canonicalHref: string | null;
  readonly apiVersion: string;
  readonly homeHref: string;
  readonly operationsHref: string;
  readonly shapesHref: string;
}

export interface LinkView {
  readonly label: string;
  readonly href: string;
}

export interface SummaryLinkView extends LinkView {
  readonly summary: string;
}

/** The type column of a member row. Prelude shapes such as `smithy.api#String` have no page, so their href is null. */
export interface TypeView {
  readonly name: string;
  readonly href: string | null;
  readonly kind: string;
}

/** A badge beside a member or shape name. */
export interface MarkView {
  readonly kind: "required" | "sensitive" | "deprecated";
  readonly text: string;
}

export interface MemberRow {
  readonly anchor: string;
  readonly name: string;
  /** True for a structure or union member without `required`; list members, map keys and values are neither required nor optional. */
  readonly optional: boolean;
  readonly type: TypeView;
  readonly marks: readonly MarkView[];
  readonly defaultValue: string | null;
  readonly constraints: readonly Constraint[];
  readonly documentation: Handlebars.SafeString | null;
}

export interface ErrorRow {
  readonly anchor: string;
  readonly name: string;
  readonly href: string;
  readonly status: number;
  readonly fault: "client" | "server";
  readonly documentation: Handlebars.SafeString | null;
}

export interface ShapeGroupView {
  readonly anchor: string;
  readonly title: string;
  readonly shapes: readonly SummaryLinkView[];
}

/** An operation in the index's list, with a mark for operations that take unsigned requests. */
export interface OperationLinkView extends SummaryLinkView {
  readonly unsigned: boolean;
}

/** Operations whose names start with the same word, such as `Admin` or `Create`. */
export interface OperationGroupView {
  readonly anchor: string;
  readonly title: string;
  readonly operations: readonly OperationLinkView[];
}

export interface IndexView extends LayoutView {
  readonly title: string;
  readonly sdkId: string;
  readonly version: string;
  readonly protocol: string;
  readonly documentation: Handlebars.SafeString | null;
  readonly operationCount: number;
  readonly operationGroups: readonly OperationGroupView[];
  readonly groups: readonly ShapeGroupView[];
  readonly serviceErrors: readonly LinkView[];
}

export interface MembersView {
  readonly shape: LinkView | null;
  readonly rows: readonly MemberRow[];
  /** The JSON body with type names in place of values. */
  readonly syntax: string;
}

export interface CodeBlockView {
  readonly id: string;
  readonly label: string;
  readonly language: string;
  readonly code: string;
}

export interface ExampleView {
  readonly anchor: string;
  readonly title: string;
  readonly declared: boolean;
  readonly documentation: Handlebars.SafeString | null;
  readonly blocks: readonly CodeBlockView[];
}

export interface OperationView extends LayoutView {
  readonly name: string;
  readonly summary: string;
  readonly documentation: Handlebars.SafeString | null;
  readonly signed: boolean;
  readonly authNote: string;
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly amzTarget: string;
  readonly request: MembersView;
  readonly response: MembersView;
  readonly errors: readonly ErrorRow[];
  readonly examples: readonly ExampleView[];
}

export interface EnumValueRow {
  readonly anchor: string;
  readonly name: string;
  readonly value: string;
  readonly documentation: Handlebars.SafeString | null;
}

export interface ShapeView extends LayoutView {
  readonly name: string;
  readonly id: ShapeId;
  readonly kind: string;
  readonly documentation: Handlebars.SafeString | null;
  readonly marks: readonly MarkView[];
  readonly constraints: readonly Constraint[];
  readonly error: { readonly fault: "client" | "server"; readonly status: number } | null;
  /** True for structures, unions, lists and maps, whose page has a members table. */
  readonly aggregate: boolean;
  readonly membersCaption: string;
  readonly members: readonly MemberRow[];
  readonly enumValues: readonly EnumValueRow[];
  readonly usedBy: readonly LinkView[];
  /** The JSON syntax of structures and unions; null for other shapes. */
  readonly syntax: string | null;
}

/** The inputs every view builder shares. */
export interface ViewContext {
  readonly model: Model;
  readonly service: ServiceInfo;
  readonly site: SiteMap;
  readonly packageName: string;
  /** The URL path (or absolute URL) the site is served under, ending in `/`; undefined when unknown. */
  readonly basePath?: string;
}

const CONTENT_TYPES = { awsJson1_1: "application/x-amz-json-1.1", awsJson1_0: "application/x-amz-json-1.0" } as const;

interface ShapeGroup {
  readonly anchor: string;
  readonly title: string;
  readonly includes: (shape: DocumentedShape) => boolean;
}

/** The groups of the index page's shape list, in display order. Every documented shape belongs to exactly one. */
const SHAPE_GROUPS: readonly ShapeGroup[] = [
  { anchor: "structures", title: "Structures", includes: (s) => s.type === "structure" && s.traits.error === undefined },
  { anchor: "errors", title: "Errors", includes: (s) => s.type === "structure" && s.traits.error !== undefined },
  { anchor: "unions", title: "Unions", includes: (s) => s.type === "union" },
  { anchor: "enums", title: "Enums", includes: (s) => s.type === "enum" },
  { anchor: "int-enums", title: "Integer enums", includes: (s) => s.type === "intEnum" },
  { anchor: "lists", title: "Lists", includes: (s) => s.type === "list" },
  { anchor: "maps", title: "Maps", includes: (s) => s.type === "map" },
  { anchor: "strings", title: "Strings", includes: (s) => s.type === "string" },
  { anchor: "blobs", title: "Blobs", includes: (s) => s.type === "blob" },
  { anchor: "booleans", title: "Booleans", includes: (s) => s.type === "boolean" },
  { anchor: "numbers", title: "Numbers", includes: (s) => ["byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal"].includes(s.type) },
  { anchor: "timestamps", title: "Timestamps", includes: (s) => s.type === "timestamp" },
  { anchor: "documents", title: "Documents", includes: (s) => s.type === "document" },
];

/** Returns the kind of a shape as the pages name it: `client error` or `server error` for error structures, `int enum` for intEnum, else the shape type. */
export function kindLabel(shape: Shape): string {
  if (shape.type === "structure" && shape.traits.error !== undefined) return `${shape.traits.error} error`;
  if (shape.type === "intEnum") return "int enum";
  return shape.type;
}

/** Returns the status code of an error: `httpError`, else 400 for client errors and 500 for server errors. */
export function errorStatus(shape: Shape): number {
  return shape.traits.httpError ?? (shape.traits.error === "server" ? 500 : 400);
}

/**
 * Builds the fields of the layout. A page served at any URL, such as
 * 404.html, passes `absoluteBase` (the base path), and its links start with
 * it instead of being relative to the page.
 */
export function layoutView(context: ViewContext, page: string, pageTitle: string, documentation: string | undefined, absoluteBase?: string): LayoutView {
  const title = context.service.title;
  const fromRoot = (path: string): string => path.replace(/^docs\//, "");
  const href = (to: Location): string =>
    absoluteBase === undefined ? relativeHref(page, to) : `${absoluteBase}${fromRoot(to.path)}${to.fragment === undefined ? "" : `#${to.fragment}`}`;
  return {
    pageTitle: page === INDEX_PATH ? title : `${pageTitle} - ${title}`,
    description: summarize(documentation),
    serviceTitle: title,
    packageName: context.packageName,
    stylesheetHref: href({ path: STYLESHEET_PATH }),
    siteRoot: absoluteBase ?? relativeHref(page, { path: "docs/" }).replace(/^\.\/?$/, "").replace(/([^/])$/, "$1/"),
    minisearchHref: href({ path: MINISEARCH_PATH }),
    searchIndexHref: href({ path: SEARCH_INDEX_PATH }),
    searchScriptHref: href({ path: SEARCH_SCRIPT_PATH }),
    markdownHref: absoluteBase === undefined ? relativeHref(page, { path: markdownPath(page) }) : null,
    canonicalHref: context.basePath === undefined || absoluteBase !== undefined ? null : `${context.basePath}${fromRoot(page)}`,
    apiVersion: context.service.shape.version,
    homeHref: href({ path: INDEX_PATH }),
    operationsHref: href({ path: INDEX_PATH, fragment: "operations" }),
    shapesHref: href({ path: INDEX_PATH, fragment: "shapes" }),
  };
}

function describeDeprecation(deprecation: Deprecation): string {
  const since = deprecation.since === undefined ? "" : ` since ${deprecation.since}`;
  const message = deprecation.message === undefined ? "" : `: ${deprecation.message}`;
  return `Deprecated${since}${message}`;
}

function marks(required: boolean, sensitive: boolean, sensitiveText: string, deprecation: Deprecation | undefined): MarkView[] {
  const list: MarkView[] = [];
  if (required) list.push({ kind: "required", text: "Required" });
  if (sensitive) list.push({ kind: "sensitive", text: sensitiveText });
  if (deprecation !== undefined) list.push({ kind: "deprecated", text: describeDeprecation(deprecation) });
  return list;
}

function typeView(context: ViewContext, page: string, target: ShapeId): TypeView {
  const shape = context.model.shapes.get(target);
  const path = context.site.shapePages.get(target);
  return {
    name: splitShapeId(target).name,
    href: path === undefined ? null : relativeHref(page, { path }),
    kind: shape === undefined ? (shapeTypeOf(context.model, target) ?? "unknown") : kindLabel(shape),
  };
}

/** Builds a member's row. Documentation, default and deprecation that the member lacks come from its target, which they also describe. */
function memberRow(context: ViewContext, page: string, anchorPrefix: string, member: Member): MemberRow {
  const target = context.model.shapes.get(member.target);
  const defaultValue = member.traits.default ?? target?.traits.default;
  return {
    anchor: `${anchorPrefix}-${member.name}`,
    name: member.name,
    optional: member.traits.required !== true,
    type: typeView(context, page, member.target),
    marks: marks(
      member.traits.required === true,
      member.traits.sensitive === true || target?.traits.sensitive === true,
      "Sensitive",
      member.traits.deprecated ?? target?.traits.deprecated,
    ),
    defaultValue: defaultValue === undefined ? null : JSON.stringify(defaultValue),
    constraints: describeConstraints(context.model, member.target, member.traits),
    documentation: renderDocumentation(member.traits.documentation ?? target?.traits.documentation),
  };
}

function membersView(context: ViewContext, page: string, anchorPrefix: string, id: ShapeId): MembersView {
  const shape = context.model.shapes.get(id);
  if (id === UNIT || shape === undefined) return { shape: null, rows: [], syntax: "{}" };
  const path = context.site.shapePages.get(id);
  const rows = shape.type === "structure" || shape.type === "union" ? shape.members.map((m) => memberRow(context, page, anchorPrefix, m)) : [];
  return { shape: path === undefined ? null : { label: shape.name, href: relativeHref(page, { path }) }, rows, syntax: jsonSyntax(context.model, id) };
}

function summaryLink(page: string, shape: Shape, path: string): SummaryLinkView {
  return { label: shape.name, href: relativeHref(page, { path }), summary: summarize(shape.traits.documentation) };
}

/** Builds the view of the index page: the service, its operations and its shapes by kind. */
export function indexView(context: ViewContext): IndexView {
  const { model, service, site } = context;
  const page = INDEX_PATH;
  const documented = [...site.shapePages.entries()]
    .map(([id, path]) => ({ shape: model.shapes.get(id) as DocumentedShape, path }))
    .sort((a, b) => compareText(a.shape.name, b.shape.name) || compareText(a.path, b.path));

  const groups = SHAPE_GROUPS.map((group) => ({
    anchor: `shapes-${group.anchor}`,
    title: group.title,
    shapes: documented.filter(({ shape }) => group.includes(shape)).map(({ shape, path }) => summaryLink(page, shape, path)),
  })).filter((group) => group.shapes.length > 0);

  return {
    ...layoutView(context, page, service.title, service.shape.traits.documentation),
    title: service.title,
    sdkId: service.sdkId,
    version: service.shape.version,
    protocol: service.protocol,
    documentation: renderDocumentation(service.shape.traits.documentation),
    operationCount: service.operations.length,
    operationGroups: operationGroups(service.operations.map((op) => ({ ...summaryLink(page, op, site.operationPages.get(op.id)!), unsigned: isUnsigned(op) }))),
    groups,
    serviceErrors: service.shape.errors.map((id) => ({ label: splitShapeId(id).name, href: relativeHref(page, { path: site.shapePages.get(id)! }) })),
  };
}

/**
 * Groups operations by the first word of their names (`Admin`, `Create`,
 * `List`, ...), sorted by name. Words that start fewer than two operations
 * go to a last group, `Other operations`.
 */
export function operationGroups(operations: readonly OperationLinkView[]): OperationGroupView[] {
  const byWord = new Map<string, OperationLinkView[]>();
  for (const operation of [...operations].sort((a, b) => compareText(a.label, b.label))) {
    const word = words(operation.label)[0] ?? "";
    byWord.set(word, [...(byWord.get(word) ?? []), operation]);
  }

  const groups: OperationGroupView[] = [];
  const other: OperationLinkView[] = [];
  for (const [word, list] of [...byWord].sort(([a], [b]) => compareText(a, b))) {
    if (list.length < 2) other.push(...list);
    else groups.push({ anchor: `operations-${word}`, title: `${word[0]!.toUpperCase()}${word.slice(1)}`, operations: list });
  }
  if (other.length > 0) groups.push({ anchor: "operations-other", title: groups.length === 0 ? "All operations" : "Other operations", operations: other });
  return groups;
}

function authNote(context: ViewContext, operation: OperationShape): { signed: boolean; authNote: string } {
  if (operation.traits.auth !== undefined && operation.traits.auth.length === 0) {
    return { signed: false, authNote: "No credentials needed: requests are not signed." };
  }
  const name = context.service.signingName === undefined ? "" : ` (signing name ${context.service.signingName})`;
  const optional = operation.traits.optionalAuth === true ? " Unsigned requests are accepted too." : "";
  return { signed: true, authNote: `Signed with SigV4${name}.${optional}` };
}

/** Builds the view of an operation's page: wire facts, request and response members, errors. */
export function operationView(context: ViewContext, operation: OperationShape): OperationView {
  const { model, service, site } = context;
  const page = site.operationPages.get(operation.id)!;

  const errors = operationErrors(model, service, operation).map((error) => ({
    anchor: `error-${error.name}`,
    name: error.name,
    href: relativeHref(page, { path: site.shapePages.get(error.id)! }),
    status: errorStatus(error),
    fault: error.traits.error ?? "client",
    documentation: renderDocumentation(error.traits.documentation),
  }));

  return {
    ...layoutView(context, page, `${operation.name} operation`, operation.traits.documentation),
    name: operation.name,
    summary: summarize(operation.traits.documentation),
    documentation: renderDocumentation(operation.traits.documentation),
    ...authNote(context, operation),
    method: "POST",
    path: "/",
    contentType: CONTENT_TYPES[service.protocol],
    amzTarget: `${service.shape.name}.${operation.name}`,
    request: membersView(context, page, "request", operation.input),
    response: membersView(context, page, "response", operation.output),
    errors,
    examples: operationExamples(model, service, operation, context.packageName).map((example, index) => ({
      anchor: `example-${index + 1}`,
      title: example.title,
      declared: example.declared,
      documentation: renderDocumentation(example.documentation === undefined || example.documentation.startsWith("<") ? example.documentation : `<p>${escapeHtml(example.documentation)}</p>`),
      blocks: example.blocks.map((block, blockIndex) => ({ id: `example-${index + 1}-${blockIndex + 1}`, ...block })),
    })),
  };
}


function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Builds the view of a shape's page: kind, constraints, members or values, and the shapes and operations that use it. */
export function shapeView(context: ViewContext, shape: DocumentedShape): ShapeView {
  const { model, site } = context;
  const page = site.shapePages.get(shape.id)!;
  const isEnum = shape.type === "enum" || shape.type === "intEnum";

  return {
    ...layoutView(context, page, shape.name, shape.traits.documentation),
    name: shape.name,
    id: shape.id,
    kind: kindLabel(shape),
    documentation: renderDocumentation(shape.traits.documentation),
    marks: marks(false, shape.traits.sensitive === true, "Sensitive: keep values out of logs and error messages", shape.traits.deprecated),
    constraints: isEnum ? [] : describeConstraints(model, shape.id),
    error: shape.type === "structure" && shape.traits.error !== undefined ? { fault: shape.traits.error, status: errorStatus(shape) } : null,
    aggregate: ["structure", "union", "list", "map"].includes(shape.type),
    membersCaption: `Members of ${shape.name}`,
    members: membersOf(shape).map(([role, member]) => ({ ...memberRow(context, page, "member", member), optional: role === "member" && member.traits.required !== true })),
    enumValues: isEnum
      ? shape.members.map((m) => ({ anchor: `member-${m.name}`, name: m.name, value: String(m.traits.enumValue ?? m.name), documentation: renderDocumentation(m.traits.documentation) }))
      : [],
    usedBy: (site.references.get(shape.id) ?? []).map((r) => ({ label: r.label, href: relativeHref(page, r) })),
    syntax: shape.type === "structure" || shape.type === "union" ? jsonSyntax(model, shape.id) : null,
  };
}
