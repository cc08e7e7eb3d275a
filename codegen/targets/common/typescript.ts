/**
 * How model shapes read as TypeScript: type expressions, names and doc comments.
 */
import type { Model, Shape, ShapeId, Traits } from "../../model/ir.js";
import { PRELUDE_SHAPES, UNIT } from "../../model/ir.js";
import { pascalCase } from "./naming.js";
import type { ServiceInfo } from "./service.js";

/** The name of the base class every modeled error of the service extends. */
export function serviceExceptionName(service: ServiceInfo): string {
  return `${pascalCase(service.sdkId)}ServiceException`;
}

/** Returns true for structures that model errors; they become classes, not interfaces. */
export function isErrorShape(shape: Shape | undefined): boolean {
  return shape?.type === "structure" && shape.traits.error !== undefined;
}

/** Returns the TypeScript type of a value of the target shape. */
export function typeOf(model: Model, target: ShapeId): string {
  if (target === UNIT) return "Record<string, never>";
  const shape = model.shapes.get(target);
  const type = shape?.type ?? PRELUDE_SHAPES.get(target);
  switch (type) {
    case "string":
      return "string";
    case "blob":
      return "Uint8Array";
    case "boolean":
      return "boolean";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
      return "number";
    case "bigInteger":
      return "bigint";
    case "bigDecimal":
      return "string";
    case "timestamp":
      return "Date";
    case "document":
      return "DocumentType";
    case "list":
      return `${arrayElement(typeOf(model, (shape as Extract<Shape, { type: "list" }>).member.target) + sparseNull(shape!))}[]`;
    case "map":
      return `Record<string, ${typeOf(model, (shape as Extract<Shape, { type: "map" }>).value.target)}${sparseNull(shape!)}>`;
    case "structure":
    case "union":
    case "enum":
    case "intEnum":
      return shape!.name;
    case "operation":
    case "resource":
    case "service":
    case undefined:
      throw new Error(`shape '${target}' has no TypeScript value type`);
    default:
      return type satisfies never;
  }
}

/** Sparse lists and maps may hold null values. */
function sparseNull(shape: Shape): string {
  return shape.traits.prelude.sparse === true ? " | null" : "";
}

function arrayElement(type: string): string {
  return /^[\w.]+$/.test(type) ? type : `(${type})`;
}

/**
 * Turns a model's HTML documentation into TSDoc text: paragraphs become
 * blank lines, `<code>` becomes backticks, links become `{@link url | text}`,
 * and `*\/` and `@` are escaped so no text can end the comment or start a tag.
 */
export function htmlToDocText(html: string): string {
  const text = html
    .replace(/<code>([\s\S]*?)<\/code>/gi, (_, code: string) => `\`${stripTags(code).trim()}\``)
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, label: string) => `{@link ${href} | ${collapse(stripTags(label))}}`)
    .replace(/<li>/gi, "\n- ")
    .replace(/<\/(p|note|important|ul|ol|div)>/gi, "\n\n")
    .replace(/<br\s*\/?>/gi, "\n");
  const paragraphs = decodeEntities(stripTags(text))
    .split(/\n\s*\n/)
    .map((p) => p.split("\n").map(collapse).filter((line) => line.length > 0).join("\n"))
    .filter((p) => p.length > 0);
  return paragraphs.join("\n\n").replace(/\*\//g, "*\\/").replace(/(^|\s)@/g, "$1\\@");
}

/** Makes model text safe inside a doc comment: `*\/` cannot end it, and a line break or `@` cannot start a tag. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s*\n\s*/g, " ").replace(/(^|\s)@/g, "$1\\@");
}

/** Returns the TSDoc lines of a shape or member: its documentation and its marks. */
export function docsOf(traits: Traits, extra: readonly string[] = []): string | undefined {
  const parts: string[] = [];
  if (traits.documentation) parts.push(htmlToDocText(traits.documentation));
  if (traits.sensitive) parts.push("This value is sensitive: shapegen redacts it in logs and validation messages.");
  parts.push(...extra);
  if (traits.deprecated) {
    const since = traits.deprecated.since ? ` since ${traits.deprecated.since}` : "";
    parts.push(`@deprecated${since}${traits.deprecated.message ? ` ${htmlToDocText(traits.deprecated.message)}` : ""}`);
  }
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, "");
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&");
}

/** Returns true when a member or the shape it targets carries the sensitive trait. */
export function isSensitive(model: Model, member: { readonly traits: Traits; readonly target: ShapeId }): boolean {
  return member.traits.sensitive === true || model.shapes.get(member.target)?.traits.sensitive === true;
}

/** Returns the shapes of the model that become named TypeScript types, in id order. */
export function namedShapes(model: Model): Shape[] {
  return [...model.shapes.values()]
    .filter((s) => s.type === "structure" || s.type === "union" || s.type === "enum" || s.type === "intEnum")
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Global types and values the generated code refers to by name, which a generated type of the same name would shadow. */
const GENERATED_CODE_GLOBALS = new Set([
  ...["Array", "BigInt", "Date", "Error", "JSON", "Map", "Number", "Object", "Partial", "Promise", "Record", "RegExp", "Set", "Uint8Array"],
  ...["DocumentType", "JsonValue", "ValidationIssue", "ResponseMetadata", "ERROR_CLASSES"],
]);

/** Returns the shapes whose generated type would shadow a name the generated code itself uses. */
export function shapesShadowingGlobals(model: Model): Shape[] {
  return namedShapes(model).filter((shape) => GENERATED_CODE_GLOBALS.has(shape.name));
}
