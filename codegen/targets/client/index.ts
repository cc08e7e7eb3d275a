/**
 * The client target: one small class per service with a method per
 * operation (src/client.ts), over the runtime in src/client-runtime.ts.
 *
 * The endpoint comes from the service's smithy.rules#endpointRuleSet trait,
 * evaluated at run time; operations without `auth: []` are signed with SigV4.
 */
import type { NodeValue, OperationShape, Shape } from "../../model/ir.js";
import { UNIT } from "../../model/ir.js";
import { formatTypeScript, generatedHeader } from "../common/format.js";
import { lowerCamelCase, pascalCase } from "../common/naming.js";
import { runtimeFile } from "../common/runtime.js";
import type { ServiceInfo } from "../common/service.js";
import type { Target, TargetContext } from "../common/target.js";
import { docsOf, isErrorShape, serviceExceptionName } from "../common/typescript.js";

export const clientTarget: Target = {
  name: "client",
  description: "a typed client over fetch with endpoint rules, SigV4, retries and timeouts (src/client.ts)",
  async generate(context) {
    const source = [generatedHeader(`model/${context.packageName}`), "", ...clientLines(context)].join("\n");
    return [{ path: "src/client.ts", contents: await formatTypeScript(source) }, await runtimeFile(context, "client-runtime.ts")];
  },
};

/**
 * Error names that AWS SDKs retry as throttling even without the retryable
 * trait, as @smithy/service-error-classification lists them.
 */
const THROTTLING_ERROR_CODES = [
  "BandwidthLimitExceeded", "EC2ThrottledException", "LimitExceededException", "PriorRequestNotComplete", "ProvisionedThroughputExceededException",
  "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown", "ThrottledException", "Throttling", "ThrottlingException",
  "TooManyRequestsException", "TransactionInProgressException",
];

/** The client class's name, such as `CognitoIdentityProviderClient`. */
export function clientClassName(service: ServiceInfo): string {
  return `${pascalCase(service.sdkId)}Client`;
}

function clientLines({ model, service }: TargetContext): string[] {
  const className = clientClassName(service);
  const base = serviceExceptionName(service);
  const shapeName = (id: string) => model.shapes.get(id)!.name;
  const inputs = service.operations.filter((o) => o.input !== UNIT).map((o) => shapeName(o.input));
  const outputs = service.operations.filter((o) => o.output !== UNIT).map((o) => shapeName(o.output));
  const types = [...new Set([...inputs, ...outputs])].sort();
  const serializers = service.operations.flatMap((o) => [`serialize${o.name}Request`, `deserialize${o.name}Response`]).sort();
  const validators = inputs.map((name) => `validate${name}`).sort();
  const modeled = [...model.shapes.values()].filter((s) => isErrorShape(s) && isThrottling(s)).map((s) => s.name);
  const throttling = [...new Set([...modeled, ...THROTTLING_ERROR_CODES])].sort();
  const ruleSet = service.shape.traits.other["smithy.rules#endpointRuleSet"];

  const lines = [
    `import { ClientRuntime, type ClientConfig, ${ruleSet !== undefined ? "type EndpointRuleSet, " : ""}type OperationSpec, type RequestOptions, type ServiceSpec } from "./client-runtime.js";`,
    `import { ${base} } from "./errors.js";`,
    `import { ${serializers.join(", ")} } from "./serializers.js";`,
    types.length > 0 ? `import type { ${types.join(", ")} } from "./types.js";` : "",
    validators.length > 0 ? `import { ${validators.join(", ")} } from "./validators.js";` : "",
    types.length > 0 ? `import { ${types.map((name) => `filterSensitive${name}`).join(", ")} } from "./sensitive.js";` : "",
    "",
    `export type { ClientConfig, Credentials, RequestOptions, Transport, TransportRequest, TransportResponse } from "./client-runtime.js";`,
    `export { ClientValidationError, EndpointError } from "./client-runtime.js";`,
    "",
    `const THROTTLING_ERRORS: ReadonlySet<string> = new Set(${JSON.stringify(throttling)});`,
    "",
    `const SERVICE: ServiceSpec = {`,
    `  signingName: ${JSON.stringify(service.signingName ?? service.endpointPrefix ?? service.shape.name)},`,
    ruleSet !== undefined ? `  endpointRuleSet: ${JSON.stringify(ruleSet)} as EndpointRuleSet,` : "",
    `  isThrottling: (name) => THROTTLING_ERRORS.has(name),`,
    `  transportError: (message, cause) => Object.assign(new ${base}("RequestFailed", "client", { message }), { cause }),`,
    `};`,
    "",
    ...service.operations.flatMap((operation) => [...operationSpec(model.shapes, operation), ""]),
    docComment(`A client of ${service.title}: one method per operation, over fetch.`),
    `export class ${className} {`,
    `  private readonly runtime: ClientRuntime;`,
    "",
    `  constructor(config: ClientConfig = {}) {`,
    `    this.runtime = new ClientRuntime(config, SERVICE);`,
    `  }`,
  ];
  for (const operation of service.operations) {
    const input = operation.input === UNIT ? "Record<string, never>" : shapeName(operation.input);
    const output = operation.output === UNIT ? "Record<string, never>" : shapeName(operation.output);
    const optional = operation.input === UNIT ? " = {}" : "";
    lines.push(
      "",
      indent(docComment(docsOf(operation.traits) ?? `Calls ${operation.name}.`)),
      `  ${lowerCamelCase(operation.name)}(input: ${input}${optional}, options?: RequestOptions): Promise<${output}> {`,
      `    return this.runtime.send(${specName(operation)}, input, options);`,
      `  }`,
    );
  }
  lines.push(`}`, "");
  return lines.filter((line, i) => line !== "" || lines[i - 1] !== "");
}

function operationSpec(shapes: ReadonlyMap<string, Shape>, operation: OperationShape): string[] {
  const input = operation.input === UNIT ? "Record<string, never>" : shapes.get(operation.input)!.name;
  const output = operation.output === UNIT ? "Record<string, never>" : shapes.get(operation.output)!.name;
  const compression = compressionOf(operation);
  return [
    `const ${specName(operation)}: OperationSpec<${input}, ${output}> = {`,
    `  name: ${JSON.stringify(operation.name)},`,
    `  serialize: serialize${operation.name}Request,`,
    `  deserialize: deserialize${operation.name}Response,`,
    `  signed: ${!(Array.isArray(operation.traits.auth) && operation.traits.auth.length === 0)},`,
    operation.input === UNIT ? "" : `  validate: validate${input},`,
    operation.input === UNIT ? `  filterInput: (input) => input,` : `  filterInput: filterSensitive${input},`,
    operation.output === UNIT ? `  filterOutput: (output) => output,` : `  filterOutput: filterSensitive${output},`,
    compression === undefined ? "" : `  compression: ${JSON.stringify(compression)},`,
    `};`,
  ].filter((line) => line !== "");
}

function specName(operation: OperationShape): string {
  return `${operation.name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_OPERATION`;
}

function isThrottling(shape: Shape): boolean {
  const retryable = shape.traits.prelude.retryable as NodeValue | undefined;
  return typeof retryable === "object" && retryable !== null && !Array.isArray(retryable) && (retryable as { throttling?: unknown }).throttling === true;
}

function compressionOf(operation: OperationShape): string[] | undefined {
  const trait = operation.traits.prelude.requestCompression ?? operation.traits.other["smithy.api#requestCompression"];
  if (typeof trait !== "object" || trait === null || Array.isArray(trait)) return undefined;
  const encodings = (trait as { encodings?: unknown }).encodings;
  return Array.isArray(encodings) ? encodings.filter((e): e is string => typeof e === "string") : undefined;
}

function docComment(text: string): string {
  // Model text such as the service title may contain "*/", which would end the comment early.
  const safe = text.replace(/\*\//g, "*\\/");
  return ["/**", ...safe.split("\n").map((line) => (line === "" ? " *" : ` * ${line}`)), " */"].join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
