/**
 * The statements that check one shape, by kind.
 *
 * A check function has the signature `(value, parent, segment, issues,
 * sensitive, depth)`: the value's path is `joinPath(parent, segment)`, built
 * only when an issue is reported or a container passes it to its children,
 * so a valid leaf value costs no string concatenation.
 */
import type { EnumShape, ListShape, MapShape, Member, Model, Shape, StructureShape } from "../../model/ir.js";
import { constrainedTarget, effectiveRange, mustBePresent } from "../common/constraints.js";
import { lowerCamelCase } from "../common/naming.js";
import { isSensitive } from "../common/typescript.js";

const HERE = "joinPath(parent, segment)";

/** Returns a check function for a shape that a structure reaches. */
export function checkFunction(model: Model, shape: Shape): string[] {
  const body = checkBody(model, shape);
  const text = body.join("\n");
  const parameter = (name: string) => (new RegExp(`\\b${name}\\b`).test(text) ? name : `_${name}`);
  return [
    `function ${checkName(shape)}(value: unknown, parent: string, segment: string | number, issues: ValidationIssue[], ${parameter("sensitive")}: boolean, ${parameter("depth")}: number): void {`,
    ...body.map((line) => `  ${line}`),
    `}`,
  ];
}

export function patternName(shape: Shape): string {
  return `PATTERN_${shape.name}`;
}

export function enumSetName(shape: Shape): string {
  return `ENUM_${shape.name}`;
}

export function enumValues(shape: EnumShape): (string | number)[] {
  return shape.members.map((m) => m.traits.enumValue ?? m.name);
}

/** Returns the pattern as the service prints it in messages: without the leading `^` and the trailing `$`. */
export function servicePattern(pattern: string): string {
  return pattern.replace(/^\^/, "").replace(/(?<!\\)\$$/, "");
}

function checkName(shape: Shape): string {
  return `check${shape.name}`;
}

function checkBody(model: Model, shape: Shape): string[] {
  switch (shape.type) {
    case "structure":
      return structureChecks(model, shape);
    case "union":
      return unionChecks(model, shape);
    case "list":
      return listChecks(model, shape);
    case "map":
      return mapChecks(model, shape);
    case "enum":
    case "intEnum":
      return enumChecks(shape);
    case "string":
      return [...typeGuard(`typeof value !== "string"`, "a string"), ...stringChecks(shape)];
    case "blob":
      return [...typeGuard(`!(value instanceof Uint8Array)`, "a Uint8Array"), ...lengthChecks(shape, "value.byteLength", HERE)];
    case "boolean":
      return typeGuard(`typeof value !== "boolean"`, "a boolean");
    case "byte":
    case "short":
    case "integer":
    case "long":
      return [...typeGuard(`typeof value !== "number" || !Number.isInteger(value)`, "an integer"), ...rangeChecks(shape, "value")];
    case "float":
    case "double":
      return [...typeGuard(`typeof value !== "number"`, "a number"), ...rangeChecks(shape, "value")];
    case "bigInteger":
      // A bigint compares with a number literal exactly, so the bounds need no conversion.
      return [...typeGuard(`typeof value !== "bigint"`, "a bigint"), ...rangeChecks(shape, "value")];
    case "bigDecimal":
      // NOTE: the range of a bigDecimal is compared as a double, so digits past double precision do not count.
      return [...typeGuard(`typeof value !== "string" || !BIG_DECIMAL.test(value)`, "a decimal number in a string"), ...rangeChecks(shape, "Number(value)")];
    case "timestamp":
      return typeGuard(`!(value instanceof Date) || Number.isNaN(value.getTime())`, "a valid Date");
    case "document":
    case "operation":
    case "resource":
    case "service":
      throw new Error(`shape '${shape.id}' has no check function: a document takes any value, and operations and services are not values`);
    default:
      return shape satisfies never;
  }
}

function typeGuard(condition: string, expected: string): string[] {
  return [`if (${condition}) {`, `  issues.push(typeIssue(${HERE}, ${JSON.stringify(expected)}, value, sensitive));`, `  return;`, `}`];
}

/** Returns the type and depth guards of a container, then the container's own path for its children. */
function containerGuards(condition: string, expected: string): string[] {
  return [...typeGuard(condition, expected), `if (depth > MAX_DEPTH) {`, `  issues.push(depthIssue(${HERE}));`, `  return;`, `}`, `const path = ${HERE};`];
}

/**
 * Returns the statement that checks one member value held in `local`, or
 * undefined when there is nothing to check (a document accepts any value).
 */
function memberCheck(model: Model, container: Shape, member: Member, local: string, segment: string): string | undefined {
  const target = constrainedTarget(model, container, member);
  if (target.type === "document") return undefined;
  return `${checkName(target)}(${local}, path, ${segment}, issues, ${memberSensitivity(model, member)}, depth + 1);`;
}

function structureChecks(model: Model, shape: StructureShape): string[] {
  const lines = containerGuards(`!isRecord(value)`, "an object");
  shape.members.forEach((member, index) => {
    const local = `member${index}`;
    const segment = JSON.stringify(lowerCamelCase(member.name));
    const check = memberCheck(model, shape, member, local, segment);
    lines.push(`const ${local} = value[${JSON.stringify(member.name)}];`);
    if (mustBePresent(member)) {
      lines.push(`if (${local} === undefined || ${local} === null) issues.push(missingIssue(joinPath(path, ${segment})));`);
      if (check !== undefined) lines.push(`else ${check}`);
    } else if (check !== undefined) {
      lines.push(`if (${local} !== undefined && ${local} !== null) ${check}`);
    }
  });
  return shape.members.length > 0 ? lines : lines.slice(0, -1);
}

/** Checks that a union has exactly one member set. A `$unknown` entry is a member newer than the model and counts as one. */
function unionChecks(model: Model, shape: StructureShape): string[] {
  const lines = [...containerGuards(`!isRecord(value)`, "an object"), `let set = value.$unknown === undefined ? 0 : 1;`];
  shape.members.forEach((member, index) => lines.push(`const member${index} = value[${JSON.stringify(member.name)}];`, `if (member${index} !== undefined && member${index} !== null) set++;`));
  lines.push(
    `if (set !== 1) {`,
    `  issues.push(constraintIssue(path, "union", 1, \`Member must have exactly one member set, found \${set}\`, undefined, sensitive));`,
    `}`,
  );
  shape.members.forEach((member, index) => {
    const check = memberCheck(model, shape, member, `member${index}`, JSON.stringify(lowerCamelCase(member.name)));
    if (check !== undefined) lines.push(`if (member${index} !== undefined && member${index} !== null) ${check}`);
  });
  return lines;
}

function listChecks(model: Model, shape: ListShape): string[] {
  const lines = [...containerGuards(`!Array.isArray(value)`, "a list"), ...lengthChecks(shape, "value.length", "path")];
  if (shape.traits.prelude.uniqueItems === true) {
    lines.push(`if (hasDuplicateItems(value)) issues.push(constraintIssue(path, "uniqueItems", undefined, "Member must have unique items", undefined, sensitive));`);
  }
  const check = memberCheck(model, shape, shape.member, "item", "i");
  const sparse = shape.traits.prelude.sparse === true;
  lines.push(`for (let i = 0; i < value.length; i++) {`, `  const item: unknown = value[i];`);
  lines.push(...nullableItem(sparse, check, `joinPath(path, i)`));
  lines.push(`}`);
  return lines;
}

function mapChecks(model: Model, shape: MapShape): string[] {
  const keys = memberCheck(model, shape, shape.key, "key", "key");
  const check = memberCheck(model, shape, shape.value, "item", "key");
  const sparse = shape.traits.prelude.sparse === true;
  return [
    ...containerGuards(`!isRecord(value)`, "a map"),
    `const keys = Object.keys(value);`,
    ...lengthChecks(shape, "keys.length", "path"),
    `for (const key of keys) {`,
    ...(keys === undefined ? [] : [`  ${keys}`]),
    `  const item: unknown = value[key];`,
    ...nullableItem(sparse, check, `joinPath(path, key)`),
    `}`,
  ];
}

/** Returns the item statements. Null in a sparse list or map is a value, and elsewhere it is a missing entry. */
function nullableItem(sparse: boolean, check: string | undefined, path: string): string[] {
  if (sparse) return check === undefined ? [] : [`  if (item !== null && item !== undefined) ${check}`];
  const missing = `  if (item === null || item === undefined) issues.push(missingIssue(${path}));`;
  return check === undefined ? [missing] : [missing, `  else ${check}`];
}

function enumChecks(shape: EnumShape): string[] {
  const values = enumValues(shape);
  const guard = shape.type === "enum" ? typeGuard(`typeof value !== "string"`, "a string") : typeGuard(`typeof value !== "number" || !Number.isInteger(value)`, "an integer");
  return [
    ...guard,
    `if (!${enumSetName(shape)}.has(value)) {`,
    `  issues.push(constraintIssue(${HERE}, "enum", ${JSON.stringify(values.map(String))}, ${JSON.stringify(`Member must satisfy enum value set: [${values.join(", ")}]`)}, value, sensitive));`,
    `}`,
  ];
}

/**
 * Length (in code points) before pattern. The UTF-16 length bounds the code
 * point count from above and half of it bounds it from below, so the code
 * points are counted only when the UTF-16 length cannot settle the bounds.
 */
function stringChecks(shape: Shape): string[] {
  const { min, max } = shape.traits.length ?? {};
  const lines: string[] = [];
  const counted = (min !== undefined && min > 0) || max !== undefined;
  if (counted) {
    const undecided = [max !== undefined ? `value.length > ${max}` : "", min !== undefined && min > 0 ? `value.length < ${2 * min}` : ""].filter((c) => c !== "");
    lines.push(`const length = ${undecided.join(" || ")} ? codePointLength(value) : value.length;`, ...lengthChecks(shape, "length", HERE));
  }

  const pattern = shape.traits.pattern;
  if (pattern === undefined) return lines;
  const message = JSON.stringify(`Member must satisfy regular expression pattern: ${servicePattern(pattern)}`);
  const issue = `constraintIssue(${HERE}, "pattern", ${JSON.stringify(pattern)}, ${message}, value, sensitive)`;
  // A string over its maximum never reaches the pattern, so no expression runs on unbounded input.
  const guard = max === undefined ? "" : `length <= ${max} && `;
  lines.push(`if (${guard}!${patternName(shape)}.test(value)) issues.push(${issue});`);
  return lines;
}

function lengthChecks(shape: Shape, length: string, path: string): string[] {
  const { min, max } = shape.traits.length ?? {};
  const lines: string[] = [];
  if (min !== undefined && min > 0) {
    lines.push(`if (${length} < ${min}) issues.push(constraintIssue(${path}, "length", ${min}, "Member must have length greater than or equal to ${min}", value, sensitive));`);
  }
  if (max !== undefined) {
    lines.push(`if (${length} > ${max}) issues.push(constraintIssue(${path}, "length", ${max}, "Member must have length less than or equal to ${max}", value, sensitive));`);
  }
  return lines;
}

/** Returns range checks written as `!(x >= min)` rather than `x < min`, so NaN fails every bound. */
function rangeChecks(shape: Shape, value: string): string[] {
  const { min, max } = effectiveRange(shape);
  const lines: string[] = [];
  if (min !== undefined) {
    lines.push(`if (!(${value} >= ${min})) issues.push(constraintIssue(${HERE}, "range", ${min}, "Member must have value greater than or equal to ${min}", value, sensitive));`);
  }
  if (max !== undefined) {
    lines.push(`if (!(${value} <= ${max})) issues.push(constraintIssue(${HERE}, "range", ${max}, "Member must have value less than or equal to ${max}", value, sensitive));`);
  }
  return lines;
}

/** Returns the sensitivity argument for a member: true when known at generation time, else the container's. */
function memberSensitivity(model: Model, member: Member): string {
  return isSensitive(model, member) ? "true" : "sensitive";
}
