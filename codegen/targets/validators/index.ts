/**
 * The validators target: one straight-line check function per shape.
 *
 * Generated code never walks a schema at run time: each shape's constraints
 * become plain statements, and each pattern and enum value set is built once,
 * at module load. Model strings reach the output only through JSON.stringify,
 * so no pattern or enum value can break out of a literal.
 */
import type { Model, Shape, ShapeId, StructureShape } from "../../model/ir.js";
import { compilePattern } from "../../model/patterns.js";
import { constrainedTarget, membersOf } from "../common/constraints.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { runtimeFile } from "../common/runtime.js";
import type { Target, TargetContext } from "../common/target.js";
import { isErrorShape, namedShapes } from "../common/typescript.js";
import { checkFunction, enumSetName, enumValues, patternName } from "./checks.js";

export const validatorsTarget: Target = {
  name: "validators",
  description: "constraint validators for every structure (src/validators.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...validatorLines(context)].join("\n");
    return [{ path: "src/validators.ts", contents: await formatTypeScript(source) }, await runtimeFile(context, "validation.ts")];
  },
};

function validatorLines({ model }: TargetContext): string[] {
  const structures = namedShapes(model).filter((s) => !isErrorShape(s) && (s.type === "structure" || s.type === "union")) as StructureShape[];
  const checked = checkedShapes(model, structures);

  const body = [...moduleConstants(checked), ""];
  for (const shape of structures) body.push(...publicValidator(shape), "");
  for (const shape of checked) body.push(...checkFunction(model, shape), "");

  const text = body.join("\n");
  const helpers = RUNTIME_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  const imports = structures.map((s) => s.name).sort();
  return [
    imports.length > 0 ? `import type { ${imports.join(", ")} } from "./types.js";` : "",
    `import { ${[...helpers, "type ValidationIssue"].join(", ")} } from "./validation.js";`,
    "",
    `export { formatValidationMessage, type ValidationIssue } from "./validation.js";`,
    "",
    ...body,
  ];
}

const RUNTIME_NAMES = [
  "BIG_DECIMAL",
  "MAX_DEPTH",
  "codePointLength",
  "constraintIssue",
  "depthIssue",
  "hasDuplicateItems",
  "isRecord",
  "joinPath",
  "missingIssue",
  "typeIssue",
];

/**
 * Every shape a check function is generated for: the structures, what they
 * reach, and members with constraints of their own. Documents take any value,
 * so they get none.
 */
function checkedShapes(model: Model, roots: readonly Shape[]): Shape[] {
  const seen = new Map<ShapeId, Shape>();
  const visit = (shape: Shape) => {
    if (seen.has(shape.id) || shape.type === "document") return;
    seen.set(shape.id, shape);
    for (const member of membersOf(shape)) visit(constrainedTarget(model, shape, member));
  };
  for (const root of roots) visit(root);
  return [...seen.values()].sort(byName);
}

/** Orders shapes by name in code unit order, which does not depend on the locale. */
function byName(a: Shape, b: Shape): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/** Compiled patterns and enum value sets, built once when the module loads. */
function moduleConstants(checked: readonly Shape[]): string[] {
  const lines: string[] = [];
  for (const shape of checked) {
    if (shape.type === "string" && shape.traits.pattern !== undefined) {
      const compiled = compilePattern(shape.traits.pattern);
      if (!compiled.ok) throw new Error(`pattern of '${shape.id}' passed the checker but does not compile: ${compiled.reason}`);
      lines.push(`const ${patternName(shape)} = new RegExp(${JSON.stringify(compiled.source)}, ${JSON.stringify(compiled.flags)});`);
    }
    if (shape.type === "enum" || shape.type === "intEnum") {
      const element = shape.type === "enum" ? "string" : "number";
      lines.push(`const ${enumSetName(shape)} = new Set<${element}>(${JSON.stringify(enumValues(shape))});`);
    }
  }
  return lines;
}

function publicValidator(shape: StructureShape): string[] {
  return [
    `/** Checks a value against the constraints of ${shape.name} and returns every violation; an empty list means valid. */`,
    `export function validate${shape.name}(value: ${shape.name} | unknown): ValidationIssue[] {`,
    `  const issues: ValidationIssue[] = [];`,
    `  check${shape.name}(value, "", "", issues, false, 0);`,
    `  return issues;`,
    `}`,
  ];
}
