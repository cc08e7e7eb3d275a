/**
 * The examples of an operation page: the TypeScript call with the generated
 * client, the raw HTTP exchange, the AWS CLI command and an error response.
 * Examples declared with the `examples` trait come first, then one generated
 * from the model's constraints.
 */
import { PRELUDE_SHAPES, UNIT, type Model, type NodeValue, type OperationShape, type Shape, type ShapeId } from "../../model/ir.js";
import { operationErrors, type ServiceInfo } from "../common/service.js";
import { kebabCase, lowerCamelCase, pascalCase } from "../common/naming.js";
import { summarize } from "./documentation.js";
import { sampleStructure, type SampleValue } from "./samples.js";

/** One code block of an example. */
export interface CodeBlock {
  readonly label: string;
  /** The language of the block, written as the `language-*` class of its code element. */
  readonly language: "typescript" | "http" | "shell";
  readonly code: string;
}

/** An example of an operation: where it comes from, what it shows, and its code blocks. */
export interface OperationExample {
  readonly title: string;
  readonly documentation: string | undefined;
  readonly declared: boolean;
  /** The request body, in wire form. */
  readonly input: { readonly [key: string]: SampleValue };
  readonly blocks: readonly CodeBlock[];
}

/** The fields of one entry of Smithy's `examples` trait that the docs read. */
interface DeclaredExample {
  readonly title?: string;
  readonly documentation?: string;
  readonly input?: { readonly [key: string]: NodeValue };
  readonly output?: { readonly [key: string]: NodeValue };
  readonly error?: { readonly shapeId?: string; readonly content?: { readonly [key: string]: NodeValue } };
}

const CONTENT_TYPES = { awsJson1_1: "application/x-amz-json-1.1", awsJson1_0: "application/x-amz-json-1.0" } as const;

/** The region and fixed ids the examples use, so every page is the same from run to run. */
const REGION = "us-east-1";
const REQUEST_ID = "4e1b7ac0-5c1d-4b0f-9a0e-0e5f2c6d7a10";
const AMZ_DATE = "20231114T221320Z";

const STATUS_TEXT: Readonly<Record<number, string>> = { 200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable" };

/** Returns the name of the generated client class: `CognitoIdentityProviderClient` for the sdkId `Cognito Identity Provider`. */
export function clientClassName(service: ServiceInfo): string {
  return `${pascalCase(service.sdkId)}Client`;
}

/** Returns the AWS CLI's name for the service: its endpoint prefix, such as `cognito-idp`, else its signing name or sdkId in kebab case. */
export function cliServiceName(service: ServiceInfo): string {
  return service.endpointPrefix ?? service.signingName ?? kebabCase(service.sdkId);
}

/** Builds the examples of an operation: declared ones first, then the generated one. */
export function operationExamples(model: Model, service: ServiceInfo, operation: OperationShape, packageName: string): OperationExample[] {
  const declared = (Array.isArray(operation.traits.prelude.examples) ? operation.traits.prelude.examples : []) as readonly DeclaredExample[];
  const examples: OperationExample[] = declared.map((example, index) => {
    const input = example.input ?? {};
    const reply = example.error?.shapeId === undefined ? { status: 200, body: example.output ?? {} } : declaredError(model, service, example.error.shapeId, example.error.content ?? {});
    return {
      title: example.title ?? `Example ${index + 1}`,
      documentation: example.documentation,
      declared: true,
      input,
      blocks: exchangeBlocks(model, service, operation, packageName, input, reply),
    };
  });

  const input = sampleStructure(model, operation.input);
  const output = sampleStructure(model, operation.output);
  const blocks = exchangeBlocks(model, service, operation, packageName, input, { status: 200, body: output });
  const error = sampleError(model, service, operation);
  examples.push({
    title: examples.length === 0 ? "Example request and response" : "Generated example",
    documentation: "Sample values satisfy the constraints of the model.",
    declared: false,
    input,
    blocks: error === undefined ? blocks : [...blocks, { label: `Error response (${error.name})`, language: "http", code: httpResponse(service, error.reply) }],
  });
  return examples;
}

interface Reply {
  readonly status: number;
  readonly errorName?: string;
  readonly body: { readonly [key: string]: SampleValue };
}

function exchangeBlocks(model: Model, service: ServiceInfo, operation: OperationShape, packageName: string, input: { readonly [key: string]: SampleValue }, reply: Reply): CodeBlock[] {
  return [
    { label: "TypeScript", language: "typescript", code: typescriptCall(model, service, operation, packageName, input) },
    { label: "AWS CLI", language: "shell", code: cliCommand(model, service, operation, input) },
    { label: "HTTP request", language: "http", code: httpRequest(service, operation, input) },
    { label: reply.errorName === undefined ? "HTTP response" : `HTTP response (${reply.errorName})`, language: "http", code: httpResponse(service, reply) },
  ];
}

/** Picks the error of the sample error response: the operation's first client error, else its first error. */
function sampleError(model: Model, service: ServiceInfo, operation: OperationShape): { name: string; reply: Reply } | undefined {
  const errors = operationErrors(model, service, operation);
  const error = errors.find((e) => e.traits.error === "client") ?? errors[0];
  if (error === undefined) return undefined;
  const content = sampleStructure(model, error.id);
  const messageKey = Object.keys(content).find((key) => key.toLowerCase() === "message");
  const summary = summarize(error.traits.documentation);
  const body = messageKey === undefined || summary === "" ? content : { ...content, [messageKey]: summary };
  return { name: error.name, reply: errorReply(error, body) };
}

function declaredError(model: Model, service: ServiceInfo, shapeId: string, content: { readonly [key: string]: NodeValue }): Reply {
  const error = model.shapes.get(shapeId) ?? [...model.shapes.values()].find((s) => s.name === shapeId.slice(shapeId.indexOf("#") + 1));
  if (error === undefined) return { status: 400, errorName: shapeId, body: { __type: shapeId, ...content } };
  return errorReply(error, content);
}

/** The service answers every client error with status 400, whatever `httpError` says, and server errors with their status. */
function errorReply(error: Shape, content: { readonly [key: string]: SampleValue }): Reply {
  const status = error.traits.error === "server" ? (error.traits.httpError ?? 500) : 400;
  return { status, errorName: error.name, body: { __type: error.name, ...content } };
}

function httpRequest(service: ServiceInfo, operation: OperationShape, input: { readonly [key: string]: SampleValue }): string {
  const body = JSON.stringify(input, null, 2);
  const host = `${service.endpointPrefix ?? service.signingName ?? "service"}.${REGION}.amazonaws.com`;
  const headers = [
    `Host: ${host}`,
    `Content-Type: ${CONTENT_TYPES[service.protocol]}`,
    `X-Amz-Target: ${service.shape.name}.${operation.name}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  if (!isUnsigned(operation)) {
    const scope = `${AMZ_DATE.slice(0, 8)}/${REGION}/${service.signingName ?? service.endpointPrefix ?? "service"}/aws4_request`;
    headers.push(`X-Amz-Date: ${AMZ_DATE}`, `Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/${scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=<signature>`);
  }
  return `POST / HTTP/1.1\n${headers.join("\n")}\n\n${body}`;
}

function httpResponse(service: ServiceInfo, reply: Reply): string {
  const body = JSON.stringify(reply.body, null, 2);
  const headers = [`Content-Type: ${CONTENT_TYPES[service.protocol]}`, `Content-Length: ${Buffer.byteLength(body)}`, `x-amzn-RequestId: ${REQUEST_ID}`];
  if (reply.errorName !== undefined) headers.push(`x-amzn-ErrorType: ${reply.errorName}:`);
  return `HTTP/1.1 ${reply.status} ${STATUS_TEXT[reply.status] ?? ""}`.trimEnd() + `\n${headers.join("\n")}\n\n${body}`;
}

/** Returns true for operations whose requests are not signed (`auth: []`). */
export function isUnsigned(operation: OperationShape): boolean {
  return operation.traits.auth !== undefined && operation.traits.auth.length === 0;
}

function typeOfShape(model: Model, id: ShapeId): Shape["type"] | undefined {
  return model.shapes.get(id)?.type ?? PRELUDE_SHAPES.get(id);
}

function typescriptCall(model: Model, service: ServiceInfo, operation: OperationShape, packageName: string, input: { readonly [key: string]: SampleValue }): string {
  const client = clientClassName(service);
  const argument = operation.input === UNIT ? "" : typescriptValue(model, operation.input, input, 0);
  return [
    `import { ${client} } from ${JSON.stringify(packageName)};`,
    "",
    `const client = new ${client}({ region: ${JSON.stringify(REGION)} });`,
    `const output = await client.${lowerCamelCase(operation.name)}(${argument});`,
    "console.log(output);",
  ].join("\n");
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Prints a wire value as a TypeScript literal of the generated types: `Date` for timestamps, `Uint8Array` for blobs. */
function typescriptValue(model: Model, id: ShapeId, value: SampleValue, depth: number): string {
  const shape = model.shapes.get(id);
  const type = typeOfShape(model, id);
  const indent = "  ".repeat(depth + 1);
  const closing = "  ".repeat(depth);

  if (type === "timestamp" && typeof value === "number") return `new Date(${JSON.stringify(new Date(value * 1000).toISOString())})`;
  if (type === "blob" && typeof value === "string") return `Buffer.from(${JSON.stringify(value)}, "base64")`;
  if (Array.isArray(value)) {
    const memberTarget = shape?.type === "list" ? shape.member.target : "smithy.api#Document";
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => `${indent}${typescriptValue(model, memberTarget, item, depth + 1)},`).join("\n")}\n${closing}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    const lines = entries.map(([key, item]) => {
      const target = memberTargetOf(shape, key);
      return `${indent}${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${typescriptValue(model, target, item, depth + 1)},`;
    });
    return `{\n${lines.join("\n")}\n${closing}}`;
  }
  return JSON.stringify(value);
}

function memberTargetOf(shape: Shape | undefined, key: string): ShapeId {
  if (shape?.type === "structure" || shape?.type === "union") return shape.members.find((m) => m.name === key)?.target ?? "smithy.api#Document";
  if (shape?.type === "map") return shape.value.target;
  return "smithy.api#Document";
}

/** Characters that need no quoting in a POSIX shell word. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

function shellQuote(text: string): string {
  return SHELL_SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function cliCommand(model: Model, service: ServiceInfo, operation: OperationShape, input: { readonly [key: string]: SampleValue }): string {
  const lines = [`aws ${cliServiceName(service)} ${kebabCase(operation.name)}`];
  const inputShape = model.shapes.get(operation.input);
  for (const [name, value] of Object.entries(input)) {
    const target = memberTargetOf(inputShape, name);
    const option = `--${kebabCase(name)}`;
    if (typeof value === "boolean") lines.push(value ? option : `--no-${kebabCase(name)}`);
    else lines.push(`${option} ${cliValue(model, target, value)}`);
  }
  return lines.join(" \\\n    ");
}

/** Prints an option value as the AWS CLI reads it: scalars as words, lists of scalars as several words, flat structures in shorthand, the rest as JSON. */
function cliValue(model: Model, id: ShapeId, value: SampleValue): string {
  const type = typeOfShape(model, id);
  if (type === "timestamp" && typeof value === "number") return new Date(value * 1000).toISOString().replace(".000Z", "Z");
  if (value === null || typeof value !== "object") return shellQuote(String(value));
  if (Array.isArray(value) && value.every((item) => item === null || typeof item !== "object")) return value.map((item) => shellQuote(String(item))).join(" ");

  const shape = model.shapes.get(id);
  if (shape?.type === "structure" && !Array.isArray(value)) {
    const entries = Object.entries(value as { [key: string]: SampleValue });
    const shorthand = entries.every(([, item]) => (typeof item === "string" && /^[\w@+:./-]+$/.test(item)) || typeof item === "number" || typeof item === "boolean");
    if (shorthand && entries.length > 0) return entries.map(([key, item]) => `${key}=${String(item)}`).join(",");
  }
  return shellQuote(JSON.stringify(value));
}

/**
 * Prints the JSON syntax of a shape with type names in place of values, as
 * the AWS API reference shows its "Request Syntax". A shape that contains
 * itself is printed `{ ... }` the second time.
 */
export function jsonSyntax(model: Model, id: ShapeId, depth = 0, stack: readonly ShapeId[] = []): string {
  const shape = model.shapes.get(id);
  const type = typeOfShape(model, id);
  const indent = "  ".repeat(depth + 1);
  const closing = "  ".repeat(depth);
  if (stack.includes(id)) return "{ ... }";
  const inner = [...stack, id];

  switch (shape?.type) {
    case "structure":
    case "union": {
      if (shape.members.length === 0) return "{}";
      const lines = shape.members.map((m) => `${indent}${JSON.stringify(m.name)}: ${jsonSyntax(model, m.target, depth + 1, inner)}`);
      return `{\n${lines.join(",\n")}\n${closing}}`;
    }
    case "list":
      return `[ ${jsonSyntax(model, shape.member.target, depth, inner)} ]`;
    case "map":
      return `{\n${indent}${jsonSyntax(model, shape.key.target, depth + 1, inner)}: ${jsonSyntax(model, shape.value.target, depth + 1, inner)}\n${closing}}`;
    case "enum":
      return '"string"';
    case "intEnum":
      return "number";
    default:
      break;
  }
  switch (type) {
    case "boolean":
      return "boolean";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigInteger":
    case "bigDecimal":
    case "timestamp":
      return "number";
    case "document":
      return "document";
    default:
      return '"string"';
  }
}
