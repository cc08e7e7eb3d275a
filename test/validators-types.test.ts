/**
 * The types target on a hand-written model: optional input members, open
 * enums, TSDoc marks and error classes, checked by compiling code that uses
 * the generated types with the TypeScript compiler.
 */
import path from "node:path";
import { Project } from "ts-morph";
import { beforeAll, describe, expect, it } from "vitest";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { typesTarget } from "../codegen/targets/types/index.js";
import { modelFromTexts, ROOT, SERVICE_YAML } from "./validators-harness.js";

const SHAPES = `namespace: example.test
shapes:
  Request:
    type: structure
    members:
      Name: { target: String, required: true }
      Mode: { target: ModeType, required: true, default: fast }
      Loose: { target: String, required: true, clientOptional: true }
      Note: { target: String }
      Old: { target: String, deprecated: { message: Use Note instead. } }
      Password: { target: PasswordType }
      Level: { target: Level }
  PasswordType:
    type: string
    sensitive: true
  ModeType:
    type: enum
    members:
      FAST: { enumValue: fast }
      SLOW: { enumValue: slow }
  Level:
    type: intEnum
    members:
      LOW: { enumValue: 1 }
  LimitExceededException:
    type: structure
    error: client
    httpError: 429
    members:
      message: { target: String }
      RetryAfter: { target: Integer }
`;

let types: string;
let errors: string;

beforeAll(async () => {
  const model = modelFromTexts([{ file: "service.yaml", text: SERVICE_YAML }, { file: "shapes.yaml", text: SHAPES }]);
  const files = await typesTarget.generate({ model, service: serviceInfo(model), packageName: "test-package", templatesDir: path.join(ROOT, "templates") });
  types = files.find((f) => f.path === "src/types.ts")!.contents;
  errors = files.find((f) => f.path === "src/errors.ts")!.contents;
});

/** Compiles `code` beside the generated files and returns the compiler's error messages. */
function compile(code: string): string[] {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: 9, module: 199, moduleResolution: 99, lib: ["lib.es2022.d.ts"] } });
  project.createSourceFile("/src/types.ts", types);
  project.createSourceFile("/src/errors.ts", errors);
  project.createSourceFile("/src/use.ts", code);
  return project.getPreEmitDiagnostics().map((d) => {
    const text = d.getMessageText();
    return typeof text === "string" ? text : text.getMessageText();
  });
}

describe("generated types", () => {
  it("makes members optional unless a value must be present", () => {
    expect(compile(`import type { Request } from "./types.js"; const r: Request = { Name: "a" }; void r;`)).toEqual([]);
    expect(compile(`import type { Request } from "./types.js"; const r: Request = {}; void r;`).join("\n")).toContain("Name");
  });

  it("accepts known and unknown enum values", () => {
    const code = `import { ModeType, Level, type Request } from "./types.js";
      const known: Request = { Name: "a", Mode: ModeType.FAST, Level: Level.LOW };
      const unknown: Request = { Name: "a", Mode: "added-later", Level: 99 };
      const value: ModeType = "slow";
      void known; void unknown; void value;`;
    expect(compile(code)).toEqual([]);
    expect(types).toContain('export const ModeType = { FAST: "fast", SLOW: "slow" } as const;');
    expect(types).toContain("export type ModeType = (typeof ModeType)[keyof typeof ModeType] | (string & {});");
    expect(types).toContain("export type Level = (typeof Level)[keyof typeof Level] | (number & {});");
  });

  it("rejects a value of the wrong type for an enum", () => {
    expect(compile(`import type { Request } from "./types.js"; const r: Request = { Name: "a", Mode: 5 }; void r;`)).not.toEqual([]);
  });

  it("marks deprecated and sensitive members in TSDoc", () => {
    expect(types).toMatch(/@deprecated Use Note instead\.\s*\*\/\s*Old\?: string;/);
    expect(types).toMatch(/This value is sensitive[^*]*\s*\*\/\s*Password\?: string;/);
  });

  it("builds error classes on the service exception base class", () => {
    const code = `import { LimitExceededException, TestServiceServiceException } from "./errors.js";
      const error = new LimitExceededException({ message: "slow down", RetryAfter: 3 });
      const base: TestServiceServiceException = error;
      const fault: "client" | "server" = error.$fault;
      const name: string = error.name;
      const retry: number | undefined = error.RetryAfter;
      void base; void fault; void name; void retry;`;
    expect(compile(code)).toEqual([]);
    expect(errors).toContain("export class LimitExceededException extends TestServiceServiceException");
    expect(errors).toContain("static readonly httpStatus = 429;");
  });
});
