/**
 * The types target: interfaces for structures, unions and enums, and a class
 * per modeled error, built with ts-morph structures in one call per file.
 */
import { Project, StructureKind, VariableDeclarationKind, type StatementStructures } from "ts-morph";
import type { EnumShape, Member, Model, StructureShape } from "../../model/ir.js";
import { mustBePresent } from "../common/constraints.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import type { GeneratedFile, Target, TargetContext } from "../common/target.js";
import { commentText, docsOf, isErrorShape, namedShapes, serviceExceptionName, typeOf } from "../common/typescript.js";

export const typesTarget: Target = {
  name: "types",
  description: "request and response types, enums and error classes (src/types.ts, src/errors.ts)",
  async generate(context) {
    const project = new Project({ useInMemoryFileSystem: true });
    const files: GeneratedFile[] = [];
    for (const [name, statements] of [
      ["types.ts", typeStatements(context)],
      ["errors.ts", errorStatements(context)],
    ] as const) {
      const source = project.createSourceFile(name, { statements: [generatedHeader(`model/${context.packageName}`), ...statements] });
      files.push({ path: `src/${name}`, contents: await formatTypeScript(source.getFullText()) });
    }
    return files;
  },
};

function typeStatements({ model }: TargetContext): StatementStructures[] {
  const statements: StatementStructures[] = [
    {
      kind: StructureKind.TypeAlias,
      name: "DocumentType",
      isExported: true,
      type: "null | boolean | number | string | DocumentType[] | { [key: string]: DocumentType }",
      docs: ["A document: any JSON value, carried as is."],
    },
  ];
  for (const shape of namedShapes(model)) {
    if (isErrorShape(shape)) continue;
    if (shape.type === "enum" || shape.type === "intEnum") statements.push(...enumStatements(shape));
    else if (shape.type === "union") statements.push(unionStatement(model, shape as StructureShape));
    else statements.push(interfaceStatement(model, shape as StructureShape));
  }
  return statements;
}

function interfaceStatement(model: Model, shape: StructureShape): StatementStructures {
  return {
    kind: StructureKind.Interface,
    name: shape.name,
    isExported: true,
    docs: docs(docsOf(shape.traits)),
    properties: shape.members.map((member) => ({
      name: member.name,
      type: typeOf(model, member.target),
      hasQuestionToken: isOptional(member),
      docs: docs(memberDocs(model, member)),
    })),
  };
}

/**
 * A member is optional in the type unless a value must be present: a
 * `default` fills a missing value, and `clientOptional` marks `required` as
 * something clients must not rely on.
 */
function isOptional(member: Member): boolean {
  return !mustBePresent(member) || member.traits.prelude.clientOptional === true;
}

/** Declares a union as one object type per member, so exactly one member can be set; `$unknown` keeps members newer than the model. */
function unionStatement(model: Model, shape: StructureShape): StatementStructures {
  const variants = shape.members.map((m) => `{ ${m.name}: ${typeOf(model, m.target)}; $unknown?: never }`);
  variants.push("{ $unknown: [string, DocumentType] }");
  return { kind: StructureKind.TypeAlias, name: shape.name, isExported: true, docs: docs(docsOf(shape.traits)), type: variants.join(" | ") };
}

/**
 * An enum is a const object of the known values and a type of those values.
 * The type also takes any other string (any other integer for an intEnum),
 * because values added to the service later still arrive; `& {}` keeps the
 * known values in editor completion.
 */
function enumStatements(shape: EnumShape): StatementStructures[] {
  const entries = shape.members.map((m) => `${JSON.stringify(m.name)}: ${JSON.stringify(m.traits.enumValue ?? m.name)}`);
  return [
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs(docsOf(shape.traits)),
      declarations: [{ name: shape.name, initializer: `{ ${entries.join(", ")} } as const` }],
    },
    {
      kind: StructureKind.TypeAlias,
      name: shape.name,
      isExported: true,
      type: `(typeof ${shape.name})[keyof typeof ${shape.name}] | (${shape.type === "enum" ? "string" : "number"} & {})`,
    },
  ];
}

function errorStatements({ model, service }: TargetContext): (string | StatementStructures)[] {
  const base = serviceExceptionName(service);
  const statements: (string | StatementStructures)[] = [
    {
      kind: StructureKind.Interface,
      name: "ResponseMetadata",
      isExported: true,
      docs: ["What the HTTP response of a failed call carried."],
      properties: [
        { name: "httpStatusCode", type: "number", hasQuestionToken: true },
        { name: "requestId", type: "string", hasQuestionToken: true, docs: ["The value of the x-amzn-RequestId header."] },
      ],
    },
    {
      kind: StructureKind.Class,
      name: base,
      isExported: true,
      extends: "Error",
      docs: [`The base class of every error ${commentText(service.title)} returns. An error the model does not name arrives as this class, with the name the service sent.`],
      properties: [
        { name: "$fault", type: `"client" | "server"`, isReadonly: true, docs: ["Whether the caller (client) or the service (server) is at fault."] },
        { name: "$metadata", type: "ResponseMetadata", isReadonly: true },
      ],
      ctors: [
        {
          parameters: [
            { name: "name", type: "string" },
            { name: "fault", type: `"client" | "server"` },
            { name: "options", type: "{ message?: string; $metadata?: ResponseMetadata }" },
          ],
          statements: ["super(options.message ?? name);", "this.name = name;", "this.$fault = fault;", "this.$metadata = options.$metadata ?? {};"],
        },
      ],
    },
  ];
  const errors = namedShapes(model).filter(isErrorShape) as StructureShape[];
  for (const shape of errors) statements.push(errorClass(model, shape, base));
  const imports = typesUsedBy(model, errors);
  if (imports.length > 0) statements.unshift(`import type { ${imports.join(", ")} } from "./types.js";`);
  statements.push({
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ["Every modeled error class by the name the service sends."],
    declarations: [{ name: "ERROR_CLASSES", initializer: `{ ${errors.map((e) => e.name).join(", ")} } as const` }],
  });
  return statements;
}

function errorClass(model: Model, shape: StructureShape, base: string): StatementStructures {
  const fields = shape.members.filter((m) => m.name.toLowerCase() !== "message");
  // Every error takes `message`, so code can build any error class by name; a member spelled `Message` also sets it.
  const messageMember = shape.members.find((m) => m.name.toLowerCase() === "message");
  const optionFields = [
    ...shape.members.map((m) => `${m.name}?: ${typeOf(model, m.target)}`),
    ...(messageMember?.name === "message" ? [] : ["message?: string"]),
    "$metadata?: ResponseMetadata",
  ];
  const message = messageMember && messageMember.name !== "message" ? `message: options.${messageMember.name} ?? options.message` : "message: options.message";
  return {
    kind: StructureKind.Class,
    name: shape.name,
    isExported: true,
    extends: base,
    docs: docs(docsOf(shape.traits, [`Fault: ${shape.traits.error}. HTTP status: ${shape.traits.httpError ?? (shape.traits.error === "client" ? 400 : 500)}.`])),
    properties: [
      { name: "httpStatus", isStatic: true, isReadonly: true, initializer: String(shape.traits.httpError ?? (shape.traits.error === "client" ? 400 : 500)) },
      ...fields.map((m) => ({ name: m.name, type: typeOf(model, m.target), isReadonly: true, hasQuestionToken: true, docs: docs(memberDocs(model, m)) })),
    ],
    ctors: [
      {
        parameters: [{ name: "options", type: `{ ${optionFields.join("; ")} }`, initializer: "{}" }],
        statements: [
          `super(${JSON.stringify(shape.name)}, ${JSON.stringify(shape.traits.error)}, { ${[message, "$metadata: options.$metadata"].join(", ")} });`,
          ...fields.map((m) => `this.${m.name} = options.${m.name};`),
        ],
      },
    ],
  };
}

/** Names from types.ts that the members of error shapes refer to. */
function typesUsedBy(model: Model, errors: readonly StructureShape[]): string[] {
  const named = new Set(["DocumentType", ...namedShapes(model).map((s) => s.name)]);
  const used = new Set<string>();
  for (const member of errors.flatMap((e) => e.members)) {
    for (const word of typeOf(model, member.target).match(/\w+/g) ?? []) if (named.has(word)) used.add(word);
  }
  return [...used].sort();
}

function memberDocs(model: Model, member: Member): string | undefined {
  const target = model.shapes.get(member.target);
  const sensitive = member.traits.sensitive !== true && target?.traits.sensitive === true;
  return docsOf(member.traits, sensitive ? ["This value is sensitive: shapegen redacts it in logs and validation messages."] : []);
}

function docs(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : [text];
}
