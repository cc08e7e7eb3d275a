/**
 * The serializers target: awsJson1_1 and awsJson1_0 in both directions.
 *
 * The client direction serializes requests and deserializes responses and
 * errors; the server direction parses requests and serializes responses and
 * errors. Both share one `write<Shape>` and one `read<Shape>` per aggregate
 * shape; simple shapes are read and written inline.
 */
import type { ListShape, MapShape, Member, Model, NodeValue, OperationShape, Shape, ShapeId, StructureShape, Traits } from "../../model/ir.js";
import { PRELUDE_SHAPES, UNIT } from "../../model/ir.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { runtimeFile } from "../common/runtime.js";
import { operationErrors, type ServiceInfo } from "../common/service.js";
import type { Target, TargetContext } from "../common/target.js";
import { isErrorShape, namedShapes, serviceExceptionName, typeOf } from "../common/typescript.js";

export const serializersTarget: Target = {
  name: "serializers",
  description: "awsJson request, response and error (de)serializers for client and server (src/serializers.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...serializerLines(context)].join("\n");
    return [{ path: "src/serializers.ts", contents: await formatTypeScript(source) }, await runtimeFile(context, "protocol.ts")];
  },
};

/** The Content-Type of each protocol. */
export const CONTENT_TYPES = { awsJson1_1: "application/x-amz-json-1.1", awsJson1_0: "application/x-amz-json-1.0" } as const;

function serializerLines({ model, service }: TargetContext): string[] {
  const aggregates = aggregatesReached(model, service);
  const errorNames = aggregates.filter(isErrorShape).map((s) => s.name);
  const base = serviceExceptionName(service);

  const body: string[] = [
    `/** The Content-Type of every request and response of this service. */`,
    `export const CONTENT_TYPE = ${JSON.stringify(CONTENT_TYPES[service.protocol])};`,
    "",
  ];
  for (const operation of service.operations) body.push(...operationFunctions(model, service, operation), "");
  body.push(...errorFunctions(model, base), "");
  for (const shape of aggregates) body.push(...writeFunction(model, shape), "", ...readFunction(model, shape), "");

  const text = body.join("\n");
  const runtime = RUNTIME_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  const typeNamesInUse = ["DocumentType", ...namedShapes(model).filter((s) => !isErrorShape(s)).map((s) => s.name)];
  const types = typeNamesInUse.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).sort();
  return [
    types.length > 0 ? `import type { ${types.join(", ")} } from "./types.js";` : "",
    `import { ${[base, "ERROR_CLASSES", ...errorNames].sort().join(", ")}, type ResponseMetadata } from "./errors.js";`,
    `import { ${runtime.join(", ")}, type HttpRequest, type HttpResponse, type JsonValue } from "./protocol.js";`,
    "",
    ...body,
  ];
}

const RUNTIME_NAMES = [
  "SerializationError",
  "expectBigDecimal",
  "expectBigInteger",
  "idempotencyToken",
  "parseJsonLossless",
  "toJsonText",
  "writeBigDecimal",
  "writeBigInteger",
  "writeDateTime",
  "errorMessageOf",
  "errorNameOf",
  "expectArray",
  "hostLabel",
  "expectBase64",
  "expectBoolean",
  "expectDateString",
  "expectEpochSeconds",
  "expectFloat",
  "expectInteger",
  "expectObject",
  "expectString",
  "memberPath",
  "nullInDenseCollection",
  "setEntry",
  "writeBase64",
  "writeEpochSeconds",
  "writeFloat",
];

/** Structures, unions, lists and maps that the operations reach, errors included, in id order. */
function aggregatesReached(model: Model, service: ServiceInfo): Shape[] {
  const seen = new Map<ShapeId, Shape>();
  const visit = (id: ShapeId) => {
    const shape = model.shapes.get(id);
    if (shape === undefined || seen.has(id)) return;
    if (shape.type === "structure" || shape.type === "union" || shape.type === "list" || shape.type === "map") seen.set(id, shape);
    const members = valueMembers(shape);
    for (const member of members) visit(member.target);
  };
  for (const operation of service.operations) {
    visit(operation.input);
    visit(operation.output);
    for (const error of operationErrors(model, service, operation)) visit(error.id);
  }
  return [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Returns a prelude trait's value whether the model reader typed it, kept it by
 * bare name, or kept it under its absolute id (traits shapegen does not check).
 */
function preludeTrait(traits: Traits, name: string): NodeValue | undefined {
  return traits.prelude[name] ?? traits.other[`smithy.api#${name}`];
}

/** Returns true when a value of the shape can hold a bigInteger or bigDecimal, which need lossless JSON. */
function reachesBigNumber(model: Model, id: ShapeId, seen = new Set<ShapeId>()): boolean {
  if (seen.has(id)) return false;
  seen.add(id);
  const type = model.shapes.get(id)?.type ?? PRELUDE_SHAPES.get(id);
  if (type === "bigInteger" || type === "bigDecimal") return true;
  const shape = model.shapes.get(id);
  if (shape === undefined) return false;
  const members = valueMembers(shape);
  return members.some((m) => reachesBigNumber(model, m.target, seen));
}

/** Returns the expression of an operation's host prefix (the endpoint trait), with hostLabel members substituted. */
function hostPrefixExpression(operation: OperationShape): string | undefined {
  const endpoint = preludeTrait(operation.traits, "endpoint");
  if (typeof endpoint !== "object" || endpoint === null || Array.isArray(endpoint)) return undefined;
  const prefix = (endpoint as { hostPrefix?: unknown }).hostPrefix;
  if (typeof prefix !== "string") return undefined;
  const parts = prefix.split(/(\{[A-Za-z_][A-Za-z0-9_]*\})/).filter((part) => part !== "");
  return parts.map((part) => (part.startsWith("{") ? `hostLabel(input.${part.slice(1, -1)}, ${JSON.stringify(part.slice(1, -1))})` : JSON.stringify(part))).join(" + ");
}

function operationFunctions(model: Model, service: ServiceInfo, operation: OperationShape): string[] {
  const name = operation.name;
  const input = operation.input === UNIT ? undefined : model.shapes.get(operation.input)!.name;
  const output = operation.output === UNIT ? undefined : model.shapes.get(operation.output)!.name;
  const inputType = input ?? "Record<string, never>";
  const outputType = output ?? "Record<string, never>";
  const target = `${service.shape.name}.${name}`;
  const inputText = operation.input !== UNIT && reachesBigNumber(model, operation.input) ? "toJsonText" : "JSON.stringify";
  const outputText = operation.output !== UNIT && reachesBigNumber(model, operation.output) ? "toJsonText" : "JSON.stringify";
  const parseOutput = outputText === "toJsonText" ? "parseJsonLossless" : "parseJsonBody";

  const headers = [`"content-type": CONTENT_TYPE`, `"x-amz-target": ${JSON.stringify(target)}`];
  const hostPrefix = hostPrefixExpression(operation);
  const request = `{ method: "POST", path: "/", headers, body${hostPrefix ? `, hostPrefix: ${hostPrefix}` : ""} }`;
  return [
    `/** Builds the HTTP request for ${name} (client side). */`,
    `export function serialize${name}Request(input: ${inputType}): HttpRequest {`,
    `  const body = ${input ? `${inputText}(write${input}(input))` : `"{}"`};`,
    `  const headers = { ${headers.join(", ")} };`,
    `  return ${request};`,
    `}`,
    "",
    `/** Reads the parsed JSON body of a ${name} request (server side); throws SerializationError on a value of the wrong type. */`,
    `export function parse${name}Request(body: unknown): ${inputType} {`,
    input ? `  return read${input}(body, "");` : `  expectObject(body, "");\n  return {};`,
    `}`,
    "",
    `/** Builds the HTTP response for a successful ${name} call (server side); an operation without output sends an empty body. */`,
    `export function serialize${name}Response(output: ${outputType}, requestId: string): HttpResponse {`,
    `  const body = ${output ? `${outputText}(write${output}(output))` : `""`};`,
    `  return { status: 200, headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId }, body };`,
    `}`,
    "",
    `/** Reads a ${name} response (client side); an error response throws the modeled error. */`,
    `export function deserialize${name}Response(response: HttpResponse): ${outputType} {`,
    `  if (response.status < 200 || response.status >= 300) throw deserializeError(response);`,
    output ? `  return read${output}(${parseOutput}(response.body), "");` : `  return {};`,
    `}`,
  ];
}

function errorFunctions(model: Model, base: string): string[] {
  const errors = [...model.shapes.values()].filter(isErrorShape).sort((a, b) => a.id.localeCompare(b.id)) as StructureShape[];
  const cases = errors.flatMap((e) => [`    case ${JSON.stringify(e.name)}:`, `      return new ${e.name}({ ...read${e.name}(body, ""), $metadata });`]);
  return [
    `/** Parses a response body; an empty body reads as an empty object. */`,
    `function parseJsonBody(text: string): unknown {`,
    `  if (text.trim() === "") return {};`,
    `  try {`,
    `    return JSON.parse(text);`,
    `  } catch {`,
    `    throw new SerializationError("", "the response body is not valid JSON");`,
    `  }`,
    `}`,
    "",
    `/**`,
    ` * Turns an error response into the modeled error class its name gives, or into`,
    ` * ${base} with the name, status and message when the model does not know the name.`,
    ` */`,
    `export function deserializeError(response: HttpResponse): ${base} {`,
    `  let body: unknown = {};`,
    `  try {`,
    `    body = parseJsonBody(response.body);`,
    `  } catch {`,
    `    // A body that is not JSON still yields an error with the status and the header's name.`,
    `  }`,
    `  const name = errorNameOf(response.headers, body);`,
    `  const $metadata: ResponseMetadata = { httpStatusCode: response.status, requestId: response.headers["x-amzn-requestid"] };`,
    `  switch (name) {`,
    ...cases,
    `    default:`,
    `      return new ${base}(name ?? "UnknownError", response.status >= 500 ? "server" : "client", { message: errorMessageOf(body), $metadata });`,
    `  }`,
    `}`,
    "",
    `/** Options of serializeError. */`,
    `export interface SerializeErrorOptions {`,
    `  readonly requestId: string;`,
    `  /** Send the model's httpError status; by default client errors get 400, as the service sends. */`,
    `  readonly useModeledStatus?: boolean;`,
    `}`,
    "",
    `/** Builds the HTTP response for an error (server side): body, status and the x-amzn-ErrorType header. */`,
    `export function serializeError(error: ${base}, options: SerializeErrorOptions): HttpResponse {`,
    `  const errorClass = ERROR_CLASSES[error.name as keyof typeof ERROR_CLASSES] as { httpStatus?: number } | undefined;`,
    `  const modeledStatus = errorClass?.httpStatus ?? (error.$fault === "client" ? 400 : 500);`,
    `  const status = error.$fault === "server" || options.useModeledStatus ? modeledStatus : 400;`,
    `  const body = { __type: error.name, ...errorMembers(error) };`,
    `  const headers = {`,
    `    "content-type": CONTENT_TYPE,`,
    `    "x-amzn-errortype": \`\${error.name}:\`,`,
    `    "x-amzn-errormessage": headerSafe(error.message),`,
    `    "x-amzn-requestid": options.requestId,`,
    `  };`,
    `  return { status, headers, body: JSON.stringify(body) };`,
    `}`,
    "",
    `function errorMembers(error: ${base}): Record<string, JsonValue> {`,
    `  switch (error.name) {`,
    ...errors.flatMap((e) => [`    case ${JSON.stringify(e.name)}:`, `      return write${e.name}(error as ${e.name});`]),
    `    default:`,
    `      return { message: error.message };`,
    `  }`,
    `}`,
    "",
    `/** Keeps printable ASCII only, because a header value cannot carry line breaks or most other characters. */`,
    `function headerSafe(text: string): string {`,
    `  return text.replace(/[^\\x20-\\x7e]/g, "?").slice(0, 1024);`,
    `}`,
  ];
}

function writeFunction(model: Model, shape: Shape): string[] {
  const type = isErrorShape(shape) ? shape.name : typeOf(model, shape.id);
  const head = `function write${shape.name}(value: ${type}): ${shape.type === "list" ? "JsonValue[]" : "Record<string, JsonValue>"} {`;
  switch (shape.type) {
    case "structure": {
      const lines = [head, `  const json: Record<string, JsonValue> = {};`];
      for (const member of shape.members) {
        const access = isErrorShape(shape) && member.name.toLowerCase() === "message" ? `value.message` : `value.${member.name}`;
        const write = writeExpression(model, member, access);
        if (isIdempotencyToken(model, member)) lines.push(`  json.${member.name} = ${access} !== undefined && ${access} !== null ? ${write} : idempotencyToken();`);
        else lines.push(`  if (${access} !== undefined && ${access} !== null) json.${member.name} = ${write};`);
      }
      return [...lines, `  return json;`, `}`];
    }
    case "union":
      return [
        head,
        ...shape.members.map((m) => `  if (${JSON.stringify(m.name)} in value && value.${m.name} !== undefined) return { ${m.name}: ${writeExpression(model, m, `value.${m.name}`)} };`),
        `  if ("$unknown" in value && value.$unknown !== undefined) return { [value.$unknown[0]]: value.$unknown[1] as JsonValue };`,
        `  throw new SerializationError("", "a union needs exactly one member set");`,
        `}`,
      ];
    case "list":
      return [head, `  return value.map((item) => ${listItemWrite(model, shape)});`, `}`];
    case "map":
      return [
        head,
        `  const json: Record<string, JsonValue> = {};`,
        `  for (const [key, item] of Object.entries(value)) setEntry(json, key, ${shape.traits.prelude.sparse ? `item === null ? null : ` : ""}${writeExpression(model, shape.value, "item")});`,
        `  return json;`,
        `}`,
      ];
    default:
      throw new Error(`shape '${shape.id}' is not an aggregate`);
  }
}

function listItemWrite(model: Model, shape: ListShape): string {
  const write = writeExpression(model, shape.member, "item");
  return shape.traits.prelude.sparse ? `(item === null ? null : ${write})` : write;
}

function readFunction(model: Model, shape: Shape): string[] {
  const type = isErrorShape(shape) ? `{ ${shape.type === "structure" ? shape.members.map((m) => `${m.name}?: ${typeOf(model, m.target)}`).join("; ") : ""} }` : typeOf(model, shape.id);
  const head = `function read${shape.name}(json: unknown, path: string): ${type} {`;
  switch (shape.type) {
    case "structure": {
      const lines = [head, `  const object = expectObject(json, path);`];
      if (shape.members.length === 0) return [...lines, `  void object;`, `  return {};`, `}`];
      // Required members may be missing here: the validator reports them, so the result is built as a Partial.
      lines.push(`  const result: Partial<${type}> = {};`);
      for (const member of shape.members) {
        const access = `object.${member.name}`;
        lines.push(`  if (${access} !== undefined && ${access} !== null) result.${member.name} = ${readExpression(model, member, access, `memberPath(path, ${JSON.stringify(member.name)})`)};`);
      }
      return [...lines, `  return result as ${type};`, `}`];
    }
    case "union":
      return unionRead(model, shape, head);
    case "list":
      return listRead(model, shape, head);
    case "map":
      return mapRead(model, shape, head);
    default:
      throw new Error(`shape '${shape.id}' is not an aggregate`);
  }
}

function unionRead(model: Model, shape: StructureShape, head: string): string[] {
  return [
    head,
    `  const object = expectObject(json, path);`,
    `  // Some services add a __type key to union values; it names no member.`,
    `  const set = Object.keys(object).filter((key) => key !== "__type" && object[key] !== null && object[key] !== undefined);`,
    `  if (set.length !== 1) throw new SerializationError(path, \`a union needs exactly one member set, found \${set.length}\`);`,
    `  const key = set[0]!;`,
    `  switch (key) {`,
    ...shape.members.flatMap((m) => [`    case ${JSON.stringify(m.name)}:`, `      return { ${m.name}: ${readExpression(model, m, `object[key]`, `memberPath(path, key)`)} };`]),
    `    default:`,
    `      return { $unknown: [key, object[key] as DocumentType] };`,
    `  }`,
    `}`,
  ];
}

function listRead(model: Model, shape: ListShape, head: string): string[] {
  const item = readExpression(model, shape.member, "item", "`${path}[${index}]`");
  const body = shape.traits.prelude.sparse
    ? `item === null ? null : ${item}`
    : `item === null ? nullInDenseCollection(\`\${path}[\${index}]\`) : ${item}`;
  return [head, `  return expectArray(json, path).map((item, index) => ${body});`, `}`];
}

function mapRead(model: Model, shape: MapShape, head: string): string[] {
  const item = readExpression(model, shape.value, "item", "memberPath(path, key)");
  return [
    head,
    `  const object = expectObject(json, path);`,
    `  const result: ${typeOf(model, shape.id)} = {};`,
    `  for (const [key, item] of Object.entries(object)) {`,
    shape.traits.prelude.sparse ? `    setEntry(result, key, item === null ? null : ${item});` : `    if (item !== null) setEntry(result, key, ${item});`,
    `  }`,
    `  return result;`,
    `}`,
  ];
}

function isIdempotencyToken(model: Model, member: Member): boolean {
  return preludeTrait(member.traits, "idempotencyToken") !== undefined || model.shapes.get(member.target)?.traits.prelude.idempotencyToken !== undefined;
}

/** Returns the type a member's target has on the wire, with its timestamp format. */
function targetType(model: Model, member: Member): Shape["type"] {
  const shape = model.shapes.get(member.target);
  return shape?.type ?? PRELUDE_SHAPES.get(member.target) ?? "structure";
}

function timestampFormat(model: Model, member: Member): string {
  const format = member.traits.prelude.timestampFormat ?? model.shapes.get(member.target)?.traits.prelude.timestampFormat;
  return typeof format === "string" ? format : "epoch-seconds";
}

function writeExpression(model: Model, member: Member, value: string): string {
  const type = targetType(model, member);
  switch (type) {
    case "structure":
    case "union":
    case "list":
    case "map":
      return `write${model.shapes.get(member.target)!.name}(${value})`;
    case "float":
    case "double":
      return `writeFloat(${value})`;
    case "timestamp": {
      const format = timestampFormat(model, member);
      if (format === "date-time") return `writeDateTime(${value})`;
      if (format === "http-date") return `${value}.toUTCString()`;
      return `writeEpochSeconds(${value})`;
    }
    case "blob":
      return `writeBase64(${value})`;
    // Big numbers are written as raw JSON number text by toJsonText, so no digit is lost through a double.
    case "bigInteger":
      return `writeBigInteger(${value})`;
    case "bigDecimal":
      return `writeBigDecimal(${value})`;
    case "document":
      return `(${value} as JsonValue)`;
    default:
      return value;
  }
}

function readExpression(model: Model, member: Member, json: string, path: string): string {
  const type = targetType(model, member);
  switch (type) {
    case "structure":
    case "union":
    case "list":
    case "map":
      return `read${model.shapes.get(member.target)!.name}(${json}, ${path})`;
    case "string":
      return `expectString(${json}, ${path})`;
    case "enum":
      return `expectString(${json}, ${path}) as ${typeOf(model, member.target)}`;
    case "intEnum":
      return `expectInteger(${json}, ${path}) as ${typeOf(model, member.target)}`;
    case "boolean":
      return `expectBoolean(${json}, ${path})`;
    case "byte":
    case "short":
    case "integer":
    case "long":
      return `expectInteger(${json}, ${path})`;
    case "float":
    case "double":
      return `expectFloat(${json}, ${path})`;
    case "bigInteger":
      return `expectBigInteger(${json}, ${path})`;
    case "bigDecimal":
      return `expectBigDecimal(${json}, ${path})`;
    case "timestamp":
      return timestampFormat(model, member) === "epoch-seconds" ? `expectEpochSeconds(${json}, ${path})` : `expectDateString(${json}, ${path})`;
    case "blob":
      return `expectBase64(${json}, ${path})`;
    case "document":
      return `(${json} as DocumentType)`;
    case "operation":
    case "resource":
    case "service":
      throw new Error(`member '${member.id}' targets a ${type}`);
    default:
      return type satisfies never;
  }
}

/** Returns the members whose values a shape carries on the wire; a map's keys are strings, so only its value counts. */
function valueMembers(shape: Shape): readonly Member[] {
  switch (shape.type) {
    case "structure":
    case "union":
      return shape.members;
    case "list":
      return [shape.member];
    case "map":
      return [shape.value];
    default:
      return [];
  }
}
