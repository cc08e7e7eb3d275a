/**
 * The validators target: one straight-line check function per shape.
 *
 * Generated code never walks a schema at run time: each shape's constraints
 * become plain statements, and each pattern is compiled once, at module load,
 * with the `u` flag. Model strings reach the output only through
 * JSON.stringify, so no pattern or enum value can break out of a literal.
 */
import type { EnumShape, ListShape, MapShape, Member, Model, Shape, ShapeId, StructureShape } from "../../model/ir.js";
import { PRELUDE_SHAPES } from "../../model/ir.js";
import { compilePattern } from "../../model/patterns.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { lowerCamelCase } from "../common/naming.js";
import type { Target, TargetContext } from "../common/target.js";
import { isErrorShape, isSensitive, namedShapes } from "../common/typescript.js";
import { runtimeFile } from "../common/runtime.js";

export const validatorsTarget: Target = {
  name: "validators",
  description: "constraint validators for every structure (src/validators.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...validatorLines(context)].join("\n");
    return [{ path: "src/validators.ts", contents: await formatTypeScript(source) }, await runtimeFile(context, "validation.ts")];
  },
};

function validatorLines({ model }: TargetContext): string[] {
  const structures = namedShapes(model).filter((s) => !isErrorShape(s) && (s.type === "structure" || s.type === "union"));
  const imports = structures.map((s) => s.name).sort();
  const checked = checkedShapes(model, structures);
  const body: string[] = [];
  for (const shape of checked) {
    if (shape.traits.pattern === undefined) continue;
    const compiled = compilePattern(shape.traits.pattern);
    if (!compiled.ok) throw new Error(`pattern of '${shape.id}' passed the checker but does not compile: ${compiled.reason}`);
    body.push(`const ${patternName(shape)} = new RegExp(${JSON.stringify(compiled.source)}, ${JSON.stringify(compiled.flags)});`);
  }
  body.push("");
  for (const shape of structures) body.push(...publicValidator(shape as StructureShape), "");
  for (const shape of checked) body.push(...checkFunction(model, shape), "");

  const text = body.join("\n");
  const helpers = RUNTIME_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  return [
    imports.length > 0 ? `import type { ${imports.join(", ")} } from "./types.js";` : "",
    `import { ${[...helpers, "type ValidationIssue"].join(", ")} } from "./validation.js";`,
    "",
    `export { formatValidationMessage, type ValidationIssue } from "./validation.js";`,
    "",
    ...body,
  ];
}

const RUNTIME_NAMES = ["BIG_DECIMAL", "MAX_DEPTH", "codePointLength", "constraintIssue", "depthIssue", "isRecord", "joinPath", "missingIssue", "typeIssue"];

/** Every shape a check function is generated for: the structures and what they reach. */
function checkedShapes(model: Model, roots: readonly Shape[]): Shape[] {
  const seen = new Map<ShapeId, Shape>();
  const visit = (id: ShapeId) => {
    const shape = model.shapes.get(id) ?? preludeShape(id);
    if (shape === undefined || seen.has(id)) return;
    seen.set(id, shape);
    for (const member of membersOf(shape)) visit(member.target);
  };
  for (const root of roots) visit(root.id);
  return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** A stand-in record for a prelude shape such as `smithy.api#String`, which has no traits. */
function preludeShape(id: ShapeId): Shape | undefined {
  const type = PRELUDE_SHAPES.get(id);
  if (type === undefined) return undefined;
  return { id, name: `Prelude${type[0]!.toUpperCase()}${type.slice(1)}`, namespace: "smithy.api", type, traits: { prelude: {}, other: {} } };
}

function membersOf(shape: Shape): readonly Member[] {
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

function publicValidator(shape: StructureShape): string[] {
  return [
    `/** Checks a value against the constraints of ${shape.name} and returns every violation; an empty list means valid. */`,
    `export function validate${shape.name}(value: ${shape.name} | unknown): ValidationIssue[] {`,
    `  const issues: ValidationIssue[] = [];`,
    `  check${shape.name}(value, "", issues, false, 0);`,
    `  return issues;`,
    `}`,
  ];
}

function checkName(id: ShapeId, model: Model): string {
  const shape = model.shapes.get(id) ?? preludeShape(id);
  if (shape === undefined) throw new Error(`shape '${id}' cannot be validated`);
  return `check${shape.name}`;
}

function patternName(shape: Shape): string {
  return `PATTERN_${shape.name}`;
}

/**
 * A check function: `(value, path, issues, sensitive, depth)`, pushing what it
 * finds. Callers pass `sensitive` as true for members that are sensitive or
 * target a sensitive shape, so the value never enters an issue.
 */
function checkFunction(model: Model, shape: Shape): string[] {
  const body = checkBody(model, shape);
  const text = body.join("\n");
  const parameter = (name: string) => (new RegExp(`\\b${name}\\b`).test(text) ? name : `_${name}`);
  return [
    `function ${checkName(shape.id, model)}(value: unknown, path: string, issues: ValidationIssue[], ${parameter("sensitive")}: boolean, ${parameter("depth")}: number): void {`,
    ...body.map((line) => `  ${line}`),
    `}`,
  ];
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
      return [...typeGuard(`!(value instanceof Uint8Array)`, "a Uint8Array"), ...lengthChecks(shape, "value.byteLength")];
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
      return [...typeGuard(`typeof value !== "bigint"`, "a bigint"), ...rangeChecks(shape, "value", "BigInt")];
    case "bigDecimal":
      return [...typeGuard(`typeof value !== "string" || !BIG_DECIMAL.test(value)`, "a decimal number in a string"), ...rangeChecks(shape, "Number(value)")];
    case "timestamp":
      return typeGuard(`!(value instanceof Date) || Number.isNaN(value.getTime())`, "a valid Date");
    case "document":
      return ["void value;"];
    case "operation":
    case "service":
      throw new Error(`shape '${shape.id}' cannot be validated`);
    default:
      return shape satisfies never;
  }
}

function typeGuard(condition: string, expected: string): string[] {
  return [`if (${condition}) {`, `  issues.push(typeIssue(path, ${JSON.stringify(expected)}, value, sensitive));`, `  return;`, `}`];
}

function structureChecks(model: Model, shape: StructureShape): string[] {
  const lines = [
    `if (!isRecord(value)) {`,
    `  issues.push(typeIssue(path, "an object", value, sensitive));`,
    `  return;`,
    `}`,
    `if (depth > MAX_DEPTH) {`,
    `  issues.push(depthIssue(path));`,
    `  return;`,
    `}`,
  ];
  for (const member of shape.members) {
    const path = `joinPath(path, ${JSON.stringify(lowerCamelCase(member.name))})`;
    const access = `value[${JSON.stringify(member.name)}]`;
    const check = `${checkName(member.target, model)}(${access}, ${path}, issues, ${memberSensitivity(model, member)}, depth + 1);`;
    if (member.traits.required) {
      lines.push(`if (${access} === undefined || ${access} === null) issues.push(missingIssue(${path}));`, `else ${check}`);
    } else {
      lines.push(`if (${access} !== undefined && ${access} !== null) ${check}`);
    }
  }
  return lines;
}

function unionChecks(model: Model, shape: StructureShape): string[] {
  const names = shape.members.map((m) => JSON.stringify(m.name));
  const lines = [
    `if (!isRecord(value)) {`,
    `  issues.push(typeIssue(path, "an object", value, sensitive));`,
    `  return;`,
    `}`,
    `if (depth > MAX_DEPTH) {`,
    `  issues.push(depthIssue(path));`,
    `  return;`,
    `}`,
    `const set = [${names.join(", ")}].filter((name) => value[name] !== undefined && value[name] !== null);`,
    `if (set.length !== 1 && value.$unknown === undefined) {`,
    `  issues.push(constraintIssue(path, "union", 1, \`Union must have exactly one member set, found \${set.length}\`, undefined, sensitive));`,
    `}`,
  ];
  for (const member of shape.members) {
    const access = `value[${JSON.stringify(member.name)}]`;
    lines.push(`if (${access} !== undefined && ${access} !== null) ${checkName(member.target, model)}(${access}, joinPath(path, ${JSON.stringify(lowerCamelCase(member.name))}), issues, ${memberSensitivity(model, member)}, depth + 1);`);
  }
  return lines;
}

function listChecks(model: Model, shape: ListShape): string[] {
  const sparse = shape.traits.prelude.sparse === true;
  return [
    ...typeGuard(`!Array.isArray(value)`, "a list"),
    ...lengthChecks(shape, "value.length"),
    `for (let i = 0; i < value.length; i++) {`,
    `  const item: unknown = value[i];`,
    sparse
      ? `  if (item !== null) ${checkName(shape.member.target, model)}(item, \`\${path}.\${i + 1}.member\`, issues, ${memberSensitivity(model, shape.member)}, depth + 1);`
      : `  if (item === null || item === undefined) issues.push(missingIssue(\`\${path}.\${i + 1}.member\`));\n  else ${checkName(shape.member.target, model)}(item, \`\${path}.\${i + 1}.member\`, issues, ${memberSensitivity(model, shape.member)}, depth + 1);`,
    `}`,
  ];
}

function mapChecks(model: Model, shape: MapShape): string[] {
  const sparse = shape.traits.prelude.sparse === true;
  const valueCheck = `${checkName(shape.value.target, model)}(item, \`\${path}.\${key}\`, issues, ${memberSensitivity(model, shape.value)}, depth + 1);`;
  return [
    `if (!isRecord(value)) {`,
    `  issues.push(typeIssue(path, "a map", value, sensitive));`,
    `  return;`,
    `}`,
    `const keys = Object.keys(value);`,
    ...lengthChecks(shape, "keys.length"),
    `for (const key of keys) {`,
    `  ${checkName(shape.key.target, model)}(key, \`\${path}.\${key}\`, issues, ${memberSensitivity(model, shape.key)}, depth + 1);`,
    `  const item: unknown = value[key];`,
    sparse ? `  if (item !== null) ${valueCheck}` : `  if (item === null || item === undefined) issues.push(missingIssue(\`\${path}.\${key}\`));\n  else ${valueCheck}`,
    `}`,
  ];
}

function enumChecks(shape: EnumShape): string[] {
  const values = shape.members.map((m) => m.traits.enumValue ?? m.name);
  const expected = shape.type === "enum" ? "a string" : "an integer";
  const condition = shape.type === "enum" ? `typeof value !== "string"` : `typeof value !== "number"`;
  return [
    ...typeGuard(condition, expected),
    `if (!${JSON.stringify(values)}.includes(value)) {`,
    `  issues.push(constraintIssue(path, "enum", ${JSON.stringify(values.map(String))}, ${JSON.stringify(`Member must satisfy enum value set: [${values.join(", ")}]`)}, value, sensitive));`,
    `}`,
  ];
}

function stringChecks(shape: Shape): string[] {
  const max = shape.traits.length?.max;
  const lines = shape.traits.length ? [`const length = codePointLength(value);`, ...lengthChecks(shape, "length")] : [];
  const pattern = shape.traits.pattern;
  if (pattern === undefined) return lines;

  const issue = `constraintIssue(path, "pattern", ${JSON.stringify(pattern)}, ${JSON.stringify(`Member must satisfy regular expression pattern: ${servicePattern(pattern)}`)}, value, sensitive)`;
  // Length is checked first, and a string over its maximum never reaches the pattern, so no expression runs on unbounded input.
  const guard = max === undefined ? "" : `length <= ${max} && `;
  lines.push(`if (${guard}!${patternName(shape)}.test(value)) issues.push(${issue});`);
  return lines;
}

/** The pattern as the service prints it in messages: without the leading `^` and the trailing `$`. */
export function servicePattern(pattern: string): string {
  return pattern.replace(/^\^/, "").replace(/(?<!\\)\$$/, "");
}

function lengthChecks(shape: Shape, length: string): string[] {
  const { min, max } = shape.traits.length ?? {};
  const lines: string[] = [];
  if (min !== undefined && min > 0) {
    lines.push(`if (${length} < ${min}) issues.push(constraintIssue(path, "length", ${min}, "Member must have length greater than or equal to ${min}", value, sensitive));`);
  }
  if (max !== undefined) {
    lines.push(`if (${length} > ${max}) issues.push(constraintIssue(path, "length", ${max}, "Member must have length less than or equal to ${max}", value, sensitive));`);
  }
  return lines;
}

function rangeChecks(shape: Shape, value: string, wrap?: "BigInt"): string[] {
  const { min, max } = shape.traits.range ?? {};
  const literal = (n: number) => (wrap === "BigInt" ? `${BigInt(Math.trunc(n))}n` : String(n));
  const lines: string[] = [];
  if (min !== undefined) {
    lines.push(`if (${value} < ${literal(min)}) issues.push(constraintIssue(path, "range", ${min}, "Member must have value greater than or equal to ${min}", value, sensitive));`);
  }
  if (max !== undefined) {
    lines.push(`if (${value} > ${literal(max)}) issues.push(constraintIssue(path, "range", ${max}, "Member must have value less than or equal to ${max}", value, sensitive));`);
  }
  return lines;
}

/** The sensitivity argument for a member: known at generation time, or inherited from the container. */
function memberSensitivity(model: Model, member: Member): string {
  return isSensitive(model, member) ? "true" : "sensitive";
}
