/**
 * The official Smithy awsJson1_1 compliance cases (httpRequestTests and
 * httpResponseTests from smithy-aws-protocol-tests) run against the package
 * shapegen generates for the test services. Client cases go through the
 * generated client with a capturing transport (request) or the client-side
 * deserializers (response); server cases go through the server-side parse
 * and serialize functions.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeValue } from "../codegen/model/ir.js";
import type { AstMember, AstShape, SmithyAst } from "../codegen/model/smithy-ast.js";
import { PROTOCOL_TESTS, buildServicePackage, readProtocolTestModel } from "./protocol-support.js";

interface ComplianceCase {
  readonly id: string;
  readonly protocol: string;
  readonly appliesTo?: "client" | "server";
  readonly method?: string;
  readonly uri?: string;
  readonly host?: string;
  readonly resolvedHost?: string;
  readonly code?: number;
  readonly headers?: Record<string, string>;
  readonly forbidHeaders?: string[];
  readonly requireHeaders?: string[];
  readonly body?: string;
  readonly bodyMediaType?: string;
  readonly params?: Record<string, NodeValue>;
}

/** A case with where it sits: the operation for request and response cases, the error shape for error cases. */
interface LocatedCase {
  readonly kind: "httpRequestTests" | "httpResponseTests";
  readonly shapeId: string;
  readonly shape: AstShape;
  readonly testCase: ComplianceCase;
  readonly file: string;
}

type GeneratedModule = Record<string, unknown>;

const JSON_FILES = ["shared-types.smithy", ...readdirSync(path.join(PROTOCOL_TESTS, "awsJson1_1")).filter((f) => f.endsWith(".smithy")).map((f) => `awsJson1_1/${f}`)];
const ML_FILES = ["awsJson1_1/services/machinelearning.smithy"];
const INDEX = JSON.parse(readFileSync(path.join(PROTOCOL_TESTS, "test-case-index.json"), "utf8")) as [string, string, string, string, string][];

const jsonAst = readProtocolTestModel(JSON_FILES);
const mlAst = readProtocolTestModel(ML_FILES);

/** Cases that cannot apply to shapegen, by side and id, with the reason; each is still listed in the output. */
const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  "client httpRequestTests MachinelearningPredictEndpoint":
    "the AWS SDKs send Predict to the URL in its PredictEndpoint member through a hand-written customization for Amazon Machine Learning; no trait in the model asks for it",
  "server httpRequestTests SDKAppliedContentEncoding_awsJson1_1":
    "the case gives no body to parse; it checks that a client compresses, and decompressing request bodies is the mock server's HTTP layer, not the server-side serializers",
  "server httpRequestTests SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1":
    "the case gives no body to parse; it checks that a client compresses, and decompressing request bodies is the mock server's HTTP layer, not the server-side serializers",
  "server httpResponseTests AwsJson11IntEnums":
    "this response case lists the request header X-Amz-Target among the response headers; awsJson1_1 responses carry no X-Amz-Target, and the client side of the case passes",
};

const modules = new Map<SmithyAst, { module: GeneratedModule; dir: string }>();

beforeAll(async () => {
  for (const [ast, namespace, name] of [
    [jsonAst, "aws.protocoltests.json", "json-protocol"],
    [mlAst, "com.amazonaws.machinelearning", "machine-learning"],
  ] as const) {
    const dir = await buildServicePackage(ast, namespace, name);
    modules.set(ast, { module: (await import(pathToFileURL(path.join(dir, "dist", "index.js")).href)) as GeneratedModule, dir });
  }
}, 180_000);

afterAll(() => {
  for (const { dir } of modules.values()) rmSync(path.dirname(dir), { recursive: true, force: true });
});

function casesOf(ast: SmithyAst, file: (id: string) => string): LocatedCase[] {
  const cases: LocatedCase[] = [];
  for (const [shapeId, shape] of Object.entries(ast.shapes)) {
    for (const kind of ["httpRequestTests", "httpResponseTests"] as const) {
      const list = shape.traits?.[`smithy.test#${kind}`] as unknown as ComplianceCase[] | undefined;
      for (const testCase of list ?? []) {
        if (testCase.protocol === "aws.protocols#awsJson1_1") cases.push({ kind, shapeId, shape, testCase, file: file(shapeId) });
      }
    }
  }
  return cases;
}

const jsonCases = casesOf(jsonAst, () => "awsJson1_1");
const mlCases = casesOf(mlAst, () => "awsJson1_1/services/machinelearning.smithy");
const allCases = [...jsonCases.map((c) => ({ ...c, ast: jsonAst })), ...mlCases.map((c) => ({ ...c, ast: mlAst }))];

describe("compliance case inventory", () => {
  it("reads every indexed case", () => {
    const read = new Set(allCases.map((c) => `${c.kind} ${c.testCase.id} ${c.testCase.appliesTo ?? "both"}`));
    const indexed = INDEX.filter((row) => row[4] === "awsJson1_1").map((row) => `${row[1]} ${row[2]} ${row[3]}`);
    expect(indexed).toHaveLength(123);
    for (const key of indexed) expect(read, key).toContain(key);
    expect(allCases).toHaveLength(123);
  });
});

// ---------------------------------------------------------------------------
// Params: the case's node values as the generated types hold them

function shapeOf(ast: SmithyAst, id: string): AstShape | undefined {
  return ast.shapes[id];
}

function simpleType(ast: SmithyAst, target: string): string {
  const shape = shapeOf(ast, target);
  if (shape !== undefined) return shape.type;
  const name = target.slice(target.indexOf("#") + 1);
  return name.replace(/^Primitive/, "").replace(/^[A-Z]/, (c) => c.toLowerCase());
}

/** Converts a node value to the TypeScript value of the target shape: Date for timestamps, bytes for blobs, bigint, NaN. */
function toValue(ast: SmithyAst, target: string, node: NodeValue): unknown {
  if (node === null) return null;
  const type = simpleType(ast, target);
  const shape = shapeOf(ast, target);
  switch (type) {
    case "timestamp":
      return new Date((node as number) * 1000);
    case "blob":
      return new TextEncoder().encode(node as string);
    case "bigInteger":
      return BigInt(node as number);
    case "bigDecimal":
      return String(node);
    case "float":
    case "double":
      return typeof node === "string" ? Number(node) : node;
    case "structure":
    case "union":
      return Object.fromEntries(Object.entries(node as Record<string, NodeValue>).map(([key, value]) => [key, toValue(ast, memberOf(shape!, key)?.target ?? "", value)]));
    case "list":
      return (node as NodeValue[]).map((item) => toValue(ast, shape!.member!.target, item));
    case "map":
      return Object.fromEntries(Object.entries(node as Record<string, NodeValue>).map(([key, value]) => [key, toValue(ast, shape!.value!.target, value)]));
    default:
      return node;
  }
}

function memberOf(shape: AstShape, name: string): AstMember | undefined {
  return shape.members?.[name];
}

function lowerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Compares bodies: JSON as values, anything else as text. */
function expectBody(actual: string, testCase: ComplianceCase): void {
  if (testCase.body === undefined) return;
  if (testCase.bodyMediaType === "application/json" || (testCase.body.trim().startsWith("{") && actual.trim().startsWith("{"))) {
    expect(actual.trim() === "" ? {} : JSON.parse(actual)).toEqual(testCase.body.trim() === "" ? {} : JSON.parse(testCase.body));
  } else {
    expect(actual).toBe(testCase.body);
  }
}

/** Checks the headers, forbidHeaders and requireHeaders of a case against lower-cased actual headers. */
function expectHeaders(actual: Record<string, string>, testCase: ComplianceCase): void {
  for (const [name, value] of Object.entries(lowerHeaders(testCase.headers))) expect(actual[name], `header ${name}`).toBe(value);
  for (const name of testCase.forbidHeaders ?? []) expect(actual[name.toLowerCase()], `forbidden header ${name}`).toBeUndefined();
  for (const name of testCase.requireHeaders ?? []) expect(actual[name.toLowerCase()], `required header ${name}`).toBeDefined();
}

// ---------------------------------------------------------------------------
// Runners

/** The operation a case belongs to, and for error cases an operation that can return the error. */
function operationFor(ast: SmithyAst, located: LocatedCase): [string, AstShape] {
  if (located.shape.type === "operation") return [located.shapeId, located.shape];
  const entry = Object.entries(ast.shapes).find(([, s]) => s.type === "operation" && (s.errors ?? []).some((e) => e.target === located.shapeId));
  if (entry === undefined) throw new Error(`no operation returns error ${located.shapeId}`);
  return entry;
}

const nameOf = (id: string) => id.slice(id.indexOf("#") + 1);
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);

async function runClientRequest(ast: SmithyAst, module: GeneratedModule, located: LocatedCase): Promise<void> {
  const { testCase } = located;
  const [operationId, operation] = operationFor(ast, located);
  const input = operation.input ? toValue(ast, operation.input.target, testCase.params ?? {}) : {};
  const captured: { url?: string; method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {};
  const serviceClass = Object.entries(module).find(([name]) => name.endsWith("Client") && typeof module[name] === "function")![1] as new (config: object) => Record<string, (input: unknown) => Promise<unknown>>;
  const client = new serviceClass({
    endpoint: `https://${testCase.host ?? "example.com"}`,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    transport: async (request: { url: string; method: string; headers: Record<string, string>; body: string | Uint8Array }) => {
      Object.assign(captured, request);
      return { status: 200, headers: {}, body: "{}" };
    },
  });
  await client[lowerFirst(nameOf(operationId))]!(input);

  const url = new URL(captured.url!);
  expect(captured.method).toBe(testCase.method);
  expect(url.pathname + url.search).toBe(testCase.uri);
  if (testCase.resolvedHost !== undefined) expect(url.host).toBe(testCase.resolvedHost);
  expectHeaders(captured.headers!, testCase);
  if (typeof captured.body === "string") expectBody(captured.body, testCase);
  else expect(testCase.body, "a compressed body is compared only when the case gives none").toBeUndefined();
}

function runServerRequest(ast: SmithyAst, module: GeneratedModule, located: LocatedCase): void {
  const { testCase } = located;
  const [operationId, operation] = operationFor(ast, located);
  const contentType = lowerHeaders(testCase.headers)["content-type"];
  if (contentType !== undefined) expect((module.isContentType as (h: string, e: string) => boolean)(contentType, module.CONTENT_TYPE as string)).toBe(true);
  const target = lowerHeaders(testCase.headers)["x-amz-target"];
  if (target !== undefined) expect(target).toBe(`${nameOf(Object.keys(ast.shapes).find((id) => ast.shapes[id]!.type === "service")!)}.${nameOf(operationId)}`);

  const body = testCase.body === undefined || testCase.body.trim() === "" ? {} : JSON.parse(testCase.body);
  const parsed = (module[`parse${nameOf(operationId)}Request`] as (body: unknown) => unknown)(body);
  const expected = operation.input ? toValue(ast, operation.input.target, testCase.params ?? {}) : {};
  expect(parsed).toEqual(withoutNulls(expected));
}

function runClientResponse(ast: SmithyAst, module: GeneratedModule, located: LocatedCase): void {
  const { testCase } = located;
  const [operationId, operation] = operationFor(ast, located);
  const response = { status: testCase.code ?? 200, headers: lowerHeaders(testCase.headers), body: testCase.body ?? "" };
  const deserialize = module[`deserialize${nameOf(operationId)}Response`] as (response: unknown) => unknown;

  if (located.shape.type !== "operation") {
    let thrown: unknown;
    try {
      deserialize(response);
    } catch (error) {
      thrown = error;
    }
    const errorClass = module[nameOf(located.shapeId)] as new () => Error;
    expect(thrown).toBeInstanceOf(errorClass);
    expect((thrown as Error).name).toBe(nameOf(located.shapeId));
    const expected = toValue(ast, located.shapeId, testCase.params ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) expect((thrown as unknown as Record<string, unknown>)[key === "Message" ? "message" : key], key).toEqual(value);
    return;
  }
  const output = deserialize(response);
  const expected = operation.output ? toValue(ast, operation.output.target, testCase.params ?? {}) : {};
  expect(output).toEqual(withoutNulls(expected));
}

function runServerResponse(ast: SmithyAst, module: GeneratedModule, located: LocatedCase): void {
  const { testCase } = located;
  const [operationId, operation] = operationFor(ast, located);
  let response: { status: number; headers: Record<string, string>; body: string };
  if (located.shape.type !== "operation") {
    const errorClass = module[nameOf(located.shapeId)] as new (options: object) => Error;
    const members = toValue(ast, located.shapeId, testCase.params ?? {}) as Record<string, unknown>;
    const { Message, ...rest } = members;
    const error = new errorClass({ ...rest, ...(Message === undefined ? {} : { message: Message }) });
    response = (module.serializeError as (e: Error, o: object) => typeof response)(error, { requestId: requestIdOf(testCase), useModeledStatus: true });
    expect(JSON.parse(response.body).__type).toBe(nameOf(located.shapeId));
  } else {
    const output = operation.output ? toValue(ast, operation.output.target, testCase.params ?? {}) : {};
    response = (module[`serialize${nameOf(operationId)}Response`] as (o: unknown, id: string) => typeof response)(output, requestIdOf(testCase));
  }
  expect(response.status).toBe(testCase.code ?? 200);
  expectHeaders(response.headers, testCase);
  if (located.shape.type === "operation") expectBody(response.body, testCase);
  else if (testCase.body !== undefined) expect(JSON.parse(response.body)).toMatchObject(JSON.parse(testCase.body));
}

/** The request id a server response case expects, or any id. */
function requestIdOf(testCase: ComplianceCase): string {
  return lowerHeaders(testCase.headers)["x-amzn-requestid"] ?? "test-request-id";
}

/** Reading a structure drops its null members (sparse lists and maps keep theirs), so expected top-level nulls go too. */
function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

describe.each(["client", "server"] as const)("awsJson1_1 compliance, %s side", (side) => {
  const cases = allCases.filter((c) => (c.testCase.appliesTo ?? side) === side);
  it.each(cases.map((c) => [`${c.kind === "httpRequestTests" ? "request" : "response"} ${c.testCase.id}`, c] as const))("%s", async (_name, located) => {
    const reason = NOT_APPLICABLE[`${side} ${located.kind} ${located.testCase.id}`];
    if (reason !== undefined) {
      console.log(`not applicable: ${located.testCase.id}: ${reason}`);
      return;
    }
    const { module } = modules.get(located.ast)!;
    if (located.kind === "httpRequestTests") {
      if (side === "client") await runClientRequest(located.ast, module, located);
      else runServerRequest(located.ast, module, located);
    } else if (side === "client") {
      runClientResponse(located.ast, module, located);
    } else {
      runServerResponse(located.ast, module, located);
    }
  });
});
