/**
 * The mock-server target: an HTTP server for the service that routes by
 * X-Amz-Target, parses and validates with the generated code, and answers
 * from a behaviour handler or with a deterministic sample of the output.
 */
import type { Model, OperationShape } from "../../model/ir.js";
import { UNIT } from "../../model/ir.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { runtimeFile } from "../common/runtime.js";
import type { Target, TargetContext } from "../common/target.js";
import { isErrorShape, serviceExceptionName } from "../common/typescript.js";
import { sampleExpression } from "./samples.js";

export const mockServerTarget: Target = {
  name: "mock-server",
  description: "a mock HTTP server for the service (src/mock-server.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...mockServerLines(context)].join("\n");
    return [{ path: "src/mock-server.ts", contents: await formatTypeScript(source) }, await runtimeFile(context, "mock-http.ts")];
  },
};

/** The error a service answers constraint violations with: its own when it models one, else the protocol's ValidationException. */
function validationErrorName(model: Model): string {
  const errors = new Set([...model.shapes.values()].filter(isErrorShape).map((s) => s.name));
  if (errors.has("ValidationException")) return "ValidationException";
  if (errors.has("InvalidParameterException")) return "InvalidParameterException";
  return "ValidationException";
}

function mockServerLines({ model, service }: TargetContext): string[] {
  const base = serviceExceptionName(service);
  const operations = service.operations;
  const inputName = (op: OperationShape) => (op.input === UNIT ? "Record<string, never>" : model.shapes.get(op.input)!.name);
  const outputName = (op: OperationShape) => (op.output === UNIT ? "Record<string, never>" : model.shapes.get(op.output)!.name);
  const typeImports = [...new Set(operations.flatMap((op) => [inputName(op), outputName(op)]).filter((n) => !n.includes("<")))].sort();

  const serializerImports = operations.flatMap((op) => [`parse${op.name}Request`, `serialize${op.name}Response`]);
  const validatorImports = operations.filter((op) => op.input !== UNIT).map((op) => `validate${inputName(op)}`);
  const lines = [
    `import { ${base}, ERROR_CLASSES } from "./errors.js";`,
    `import { startServer, type MockServer, type RequestContext, type ServerOptions } from "./mock-http.js";`,
    `import { CONTENT_TYPE, serializeError, ${serializerImports.join(", ")} } from "./serializers.js";`,
    typeImports.length > 0 ? `import type { ${typeImports.join(", ")} } from "./types.js";` : "",
    validatorImports.length > 0 ? `import { ${validatorImports.join(", ")} } from "./validators.js";` : "",
    "",
    `export type { MockServer, RequestContext, RequestLogLine } from "./mock-http.js";`,
    "",
    `/** A behaviour handler: returns the operation's output, or throws one of the service's error classes. */`,
    `export type Handler<Input, Output> = (input: Input, context: RequestContext) => Output | Promise<Output>;`,
    "",
    `/** Behaviour handlers by operation; an operation without one answers with a sample of its output. */`,
    `export interface MockHandlers {`,
    ...operations.map((op) => `  ${op.name}?: Handler<${inputName(op)}, ${outputName(op)}>;`),
    `}`,
    "",
    `export interface MockServerOptions extends ServerOptions {`,
    `  readonly handlers?: MockHandlers;`,
    `}`,
    "",
    `const OPERATIONS = {`,
  ];
  for (const op of operations) {
    const validate = op.input === UNIT ? `() => []` : `(input: unknown) => validate${inputName(op)}(input)`;
    lines.push(
      `  ${op.name}: {`,
      `    parse: parse${op.name}Request,`,
      `    validate: ${validate},`,
      `    serialize: serialize${op.name}Response,`,
      `    sample: (): ${outputName(op)} => (${op.output === UNIT ? "{}" : sampleExpression(model, op.output)}),`,
      `  },`,
    );
  }
  lines.push(
    `};`,
    "",
    `/** Starts the mock ${service.title} server; by default on a free loopback port. */`,
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
    `  };`,
    `  return startServer(binding, { ...options.handlers }, options);`,
    `}`,
  );
  return lines;
}
