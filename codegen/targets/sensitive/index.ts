/**
 * The sensitive target: `filterSensitive<Shape>` functions that copy a value
 * with every sensitive member replaced by a marker, for logs and debugging.
 * Members are sensitive when they or the shape they target carry the
 * sensitive trait.
 */
import type { Member, Model, Shape, ShapeId } from "../../model/ir.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import type { Target } from "../common/target.js";
import { isErrorShape, isSensitive, namedShapes } from "../common/typescript.js";

export const sensitiveTarget: Target = {
  name: "sensitive",
  description: "filterSensitive functions that redact sensitive members for logs (src/sensitive.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...sensitiveLines(context.model)].join("\n");
    return [{ path: "src/sensitive.ts", contents: await formatTypeScript(source) }];
  },
};

/** The text that replaces a sensitive value, as the AWS SDKs print it. */
export const SENSITIVE_MARKER = "***SensitiveInformation***";

function sensitiveLines(model: Model): string[] {
  const roots = namedShapes(model).filter((s) => !isErrorShape(s) && (s.type === "structure" || s.type === "union"));
  const lines = [
    `/** The text that replaces a sensitive value. */`,
    `export const SENSITIVE_MARKER = ${JSON.stringify(SENSITIVE_MARKER)};`,
    "",
    `/** Copies a value, replacing sensitive members; anything that is not an object passes through unchanged. */`,
    `function copyWith(value: unknown, filters: Readonly<Record<string, (member: unknown) => unknown>>): unknown {`,
    `  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;`,
    `  const copy: Record<string, unknown> = {};`,
    `  for (const [key, member] of Object.entries(value)) {`,
    `    const filter = Object.hasOwn(filters, key) ? filters[key] : undefined;`,
    `    Object.defineProperty(copy, key, { value: filter ? filter(member) : member, enumerable: true, writable: true, configurable: true });`,
    `  }`,
    `  return copy;`,
    `}`,
    "",
    `const redact = (value: unknown): unknown => (value === undefined || value === null ? value : SENSITIVE_MARKER);`,
    "",
  ];
  for (const shape of roots) {
    lines.push(
      `/** Copies a ${shape.name} with its sensitive members replaced by SENSITIVE_MARKER, for logs. */`,
      `export function filterSensitive${shape.name}(value: unknown): unknown {`,
      `  return copyWith(value, ${filtersObject(model, shape)});`,
      `}`,
      "",
    );
  }
  return lines;
}

/** Builds the member filters of a structure: redact sensitive members, and recurse into structures, lists and maps that contain any. */
function filtersObject(model: Model, shape: Shape): string {
  if (!("members" in shape)) return "{}";
  const entries: string[] = [];
  for (const member of shape.members) {
    const filter = memberFilter(model, member, new Set([shape.id]));
    if (filter !== undefined) entries.push(`${JSON.stringify(member.name)}: ${filter}`);
  }
  return `{ ${entries.join(", ")} }`;
}

function memberFilter(model: Model, member: Member, seen: ReadonlySet<ShapeId>): string | undefined {
  if (isSensitive(model, member)) return "redact";
  const target = model.shapes.get(member.target);
  if (target === undefined || !containsSensitive(model, target.id, new Set(seen))) return undefined;
  switch (target.type) {
    case "structure":
    case "union":
      return `filterSensitive${target.name}`;
    case "list": {
      const item = memberFilter(model, target.member, seen) ?? "((item: unknown) => item)";
      return `(list: unknown) => (Array.isArray(list) ? list.map(${item}) : list)`;
    }
    case "map": {
      const item = memberFilter(model, target.value, seen) ?? "((item: unknown) => item)";
      return `(map: unknown) => (typeof map === "object" && map !== null ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, (${item})(v)])) : map)`;
    }
    default:
      return undefined;
  }
}

/** Returns true when a shape, or anything it reaches, contains a sensitive member. */
function containsSensitive(model: Model, id: ShapeId, seen: Set<ShapeId>): boolean {
  const shape = model.shapes.get(id);
  if (shape === undefined || seen.has(id)) return false;
  seen.add(id);
  if (shape.traits.sensitive) return true;
  return childMembers(shape).some((m) => m.traits.sensitive === true || containsSensitive(model, m.target, seen));
}

function childMembers(shape: Shape): readonly Member[] {
  switch (shape.type) {
    case "structure":
    case "union":
      return shape.members;
    case "list":
      return [shape.member];
    case "map":
      return [shape.key, shape.value];
    default:
      return [];
  }
}
