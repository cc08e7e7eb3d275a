/**
 * The mock-server target: an HTTP server for the service that routes by
 * X-Amz-Target, parses and validates with the generated code, and responds
 * from a behaviour handler, a scenario or a deterministic sample of the
 * output. Behaviour modules and scenarios live beside the model, in
 * `<model folder>/mock/`, and are copied into `src/behaviors/` and
 * `src/scenarios.ts`.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Model, OperationShape } from "../../model/ir.js";
import { UNIT } from "../../model/ir.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { runtimeFile } from "../common/runtime.js";
import type { GeneratedFile, Target, TargetContext } from "../common/target.js";
import { commentText, isErrorShape, serviceExceptionName } from "../common/typescript.js";
import { sampleExpression } from "./samples.js";
import { readScenarios, type ScenarioRecord } from "./scenarios.js";

const RUNTIME_FILES = ["mock-http.ts", "mock-admin.ts", "mock-persistence.ts", "mock-scenarios.ts", "mock-state.ts"];

export const mockServerTarget: Target = {
  name: "mock-server",
  description: "a mock HTTP server for the service (src/mock-server.ts, src/behaviors/, src/scenarios.ts)",
  async generate(context) {
    const mockDir = context.modelDir === undefined ? undefined : path.join(context.modelDir, "mock");
    const behaviors = mockDir === undefined ? [] : await behaviorFiles(context, mockDir);
    const hasBehavior = behaviors.some((file) => file.path === "src/behaviors/index.ts");
    const scenarios = mockDir === undefined ? [] : await scenarioRecords(context, mockDir);

    const source = [generatedHeader(`model/${context.packageName}`), "", ...mockServerLines(context, hasBehavior)].join("\n");
    const scenarioSource = [generatedHeader(`model/${context.packageName}/mock/scenarios.yaml`), "", ...scenarioLines(scenarios)].join("\n");
    return [
      { path: "src/mock-server.ts", contents: await formatTypeScript(source) },
      { path: "src/scenarios.ts", contents: await formatTypeScript(scenarioSource) },
      ...behaviors,
      ...(await Promise.all(RUNTIME_FILES.map((name) => runtimeFile(context, name)))),
    ];
  },
};

/** Copies the hand-written behaviour modules (`mock/*.ts`) with the generated-file header. */
async function behaviorFiles(context: TargetContext, mockDir: string): Promise<GeneratedFile[]> {
  const names = (await readdir(mockDir).catch(() => [] as string[])).filter((name) => name.endsWith(".ts")).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(path.join(mockDir, name), "utf8");
      const header = generatedHeader(`model/${context.packageName}/mock/${name}`);
      return { path: `src/behaviors/${name}`, contents: await formatTypeScript(`${header}\n\n${text}`) };
    }),
  );
}

async function scenarioRecords(context: TargetContext, mockDir: string): Promise<ScenarioRecord[]> {
  const file = path.join(mockDir, "scenarios.yaml");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return [];
  const operations = context.service.operations;
  return readScenarios(`model/${context.packageName}/mock/scenarios.yaml`, text, context.model, operations);
}

function scenarioLines(scenarios: readonly ScenarioRecord[]): string[] {
  return [
    `import type { Scenario } from "./mock-scenarios.js";`,
    "",
    `/** Scenarios declared in the model folder's mock/scenarios.yaml, in file order; the first match answers. */`,
    `export const SCENARIOS: readonly Scenario[] = ${JSON.stringify(scenarios, null, 2)};`,
    "",
  ];
}

/** The error a service answers constraint violations with: its own when it models one, else the protocol's ValidationException. */
function validationErrorName(model: Model): string {
  const errors = new Set([...model.shapes.values()].filter(isErrorShape).map((s) => s.name));
  if (errors.has("ValidationException")) return "ValidationException";
  if (errors.has("InvalidParameterException")) return "InvalidParameterException";
  return "ValidationException";
}

function mockServerLines({ model, service }: TargetContext, hasBehavior: boolean): string[] {
  const base = serviceExceptionName(service);
  const operations = service.operations;
  const inputName = (op: OperationShape) => (op.input === UNIT ? "Record<string, never>" : model.shapes.get(op.input)!.name);
  const outputName = (op: OperationShape) => (op.output === UNIT ? "Record<string, never>" : model.shapes.get(op.output)!.name);
  const typeImports = [...new Set(operations.flatMap((op) => [inputName(op), outputName(op)]).filter((n) => !n.includes("<")))].sort();

  const serializerImports = operations.flatMap((op) => [`parse${op.name}Request`, `serialize${op.name}Response`]);
  const validatorImports = operations.filter((op) => op.input !== UNIT).map((op) => `validate${inputName(op)}`);
  const lines = [
    `import { ${base}, ERROR_CLASSES } from "./errors.js";`,
    hasBehavior ? `import { createBehavior } from "./behaviors/index.js";` : "",
    `import { startServer, type MockServer, type RequestContext, type ServerOptions } from "./mock-http.js";`,
    `import { SCENARIOS } from "./scenarios.js";`,
    `import { CONTENT_TYPE, serializeError, ${serializerImports.join(", ")} } from "./serializers.js";`,
    typeImports.length > 0 ? `import type { ${typeImports.join(", ")} } from "./types.js";` : "",
    validatorImports.length > 0 ? `import { ${validatorImports.join(", ")} } from "./validators.js";` : "",
    "",
    `export type { MockServer, RequestContext, RequestLogLine, ServerOptions } from "./mock-http.js";`,
    `export type { Scenario } from "./mock-scenarios.js";`,
    `export { MockClock, Outbox, SeedError, type OutboxMessage, type SeedCounts } from "./mock-state.js";`,
    `export { StateFileError } from "./mock-persistence.js";`,
    "",
    `/** A behaviour handler: returns the operation's output, or throws one of the service's error classes. */`,
    `export type Handler<Input, Output> = (input: Input, context: RequestContext) => Output | Promise<Output>;`,
    "",
    `/** Behaviour handlers by operation; an operation without one answers from a scenario or with a sample of its output. */`,
    `export interface MockHandlers {`,
    ...operations.map((op) => `  ${op.name}?: Handler<${inputName(op)}, ${outputName(op)}>;`),
    `}`,
    "",
    `export interface MockServerOptions extends ServerOptions {`,
    `  /** Handlers that replace the built-in behaviour of their operations. */`,
    `  readonly handlers?: MockHandlers;`,
    `}`,
    "",
    `const OPERATIONS = {`,
  ];
  for (const op of operations) {
    const validate = op.input === UNIT ? `() => []` : `(input: unknown) => validate${inputName(op)}(input)`;
    const errors = op.errors.map((id) => model.shapes.get(id)!.name);
    lines.push(
      `  ${op.name}: {`,
      `    parse: parse${op.name}Request,`,
      `    validate: ${validate},`,
      `    serialize: serialize${op.name}Response,`,
      `    sample: (): ${outputName(op)} => (${op.output === UNIT ? "{}" : sampleExpression(model, op.output)}),`,
      `    errors: ${JSON.stringify(errors)},`,
      `  },`,
    );
  }
  lines.push(
    `};`,
    "",
    `/** Starts the mock ${commentText(service.title)} server; by default on a free loopback port. */`,
    `export function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {`,
    `  const binding = {`,
    `    targetPrefix: ${JSON.stringify(service.shape.name)},`,
    `    contentType: CONTENT_TYPE,`,
    `    operations: OPERATIONS,`,
    `    validationErrorName: ${JSON.stringify(validationErrorName(model))},`,
    `    error: (name: string, fault: "client" | "server", message: string) => {`,
    `      const modeled = Object.hasOwn(ERROR_CLASSES, name) ? ERROR_CLASSES[name as keyof typeof ERROR_CLASSES] : undefined;`,
    `      return modeled ? new modeled({ message }) : new ${base}(name, fault, { message });`,
    `    },`,
    `    serializeError,`,
    `    isServiceError: (error: unknown) => error instanceof ${base},`,
    hasBehavior ? `    createBehavior,` : "",
    `    scenarios: SCENARIOS,`,
    `  };`,
    `  return startServer(binding, { ...options.handlers }, options);`,
    `}`,
  );
  return lines.filter((line, i, all) => line !== "" || all[i - 1] !== "");
}
