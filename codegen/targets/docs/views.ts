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
import { INDEX_PATH, STYLESHEET_PATH, compareText, membersOf, relativeHref, type DocumentedShape, type SiteMap } from "./site.js";

/** Fields that the layout of every page reads. */
export interface LayoutView {
  readonly pageTitle: string;
  /** The first sentence of the page's documentation, for the description meta tag. */
  readonly description: string;
  readonly serviceTitle: string;
  readonly packageName: string;
  readonly stylesheetHref: string;
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

export interface IndexView extends LayoutView {
  readonly title: string;
  readonly sdkId: string;
  readonly version: string;
  readonly protocol: string;
  readonly documentation: Handlebars.SafeString | null;
  readonly operations: readonly SummaryLinkView[];
  readonly groups: readonly ShapeGroupView[];
  readonly serviceErrors: readonly LinkView[];
}

export interface MembersView {
  readonly shape: LinkView | null;
  readonly rows: readonly MemberRow[];
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
}

/** The inputs every view builder shares. */
export interface ViewContext {
  readonly model: Model;
  readonly service: ServiceInfo;
  readonly site: SiteMap;
  readonly packageName: string;
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

function layoutView(context: ViewContext, page: string, pageTitle: string, documentation: string | undefined): LayoutView {
  const title = context.service.title;
  return {
    pageTitle: page === INDEX_PATH ? title : `${pageTitle} - ${title}`,
    description: summarize(documentation),
    serviceTitle: title,
    packageName: context.packageName,
    stylesheetHref: relativeHref(page, { path: STYLESHEET_PATH }),
    homeHref: relativeHref(page, { path: INDEX_PATH }),
    operationsHref: relativeHref(page, { path: INDEX_PATH, fragment: "operations" }),
    shapesHref: relativeHref(page, { path: INDEX_PATH, fragment: "shapes" }),
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
  if (id === UNIT || shape === undefined) return { shape: null, rows: [] };
  const path = context.site.shapePages.get(id);
  const rows = shape.type === "structure" || shape.type === "union" ? shape.members.map((m) => memberRow(context, page, anchorPrefix, m)) : [];
  return { shape: path === undefined ? null : { label: shape.name, href: relativeHref(page, { path }) }, rows };
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
    operations: service.operations.map((op) => summaryLink(page, op, site.operationPages.get(op.id)!)),
    groups,
    serviceErrors: service.shape.errors.map((id) => ({ label: splitShapeId(id).name, href: relativeHref(page, { path: site.shapePages.get(id)! }) })),
  };
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
  };
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
    members: membersOf(shape).map(([, member]) => memberRow(context, page, "member", member)),
    enumValues: isEnum
      ? shape.members.map((m) => ({ anchor: `member-${m.name}`, name: m.name, value: String(m.traits.enumValue ?? m.name), documentation: renderDocumentation(m.traits.documentation) }))
      : [],
    usedBy: (site.references.get(shape.id) ?? []).map((r) => ({ label: r.label, href: relativeHref(page, r) })),
  };
}
