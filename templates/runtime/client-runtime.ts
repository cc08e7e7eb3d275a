import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, HttpResponse } from "./protocol.js";

/** AWS credentials for SigV4 signing. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Sends one HTTP request; the default is the global fetch. Tests and benchmarks pass their own. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface TransportRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Options of a generated client. */
export interface ClientConfig {
  /** The AWS region, such as `us-east-1`; the endpoint comes from the service's endpoint rules. */
  readonly region?: string;
  /** An explicit endpoint URL, such as `http://127.0.0.1:4566`; it wins over the region's endpoint. */
  readonly endpoint?: string;
  /** Use the FIPS endpoint of the region. */
  readonly useFipsEndpoint?: boolean;
  /** Use the dual-stack (IPv4 and IPv6) endpoint of the region. */
  readonly useDualstackEndpoint?: boolean;
  /** Credentials, or a function that returns them, for operations that need SigV4; operations with `auth: []` need none. */
  readonly credentials?: Credentials | (() => Promise<Credentials>);
  /** Attempts per call, the first included, for throttling errors, 5xx responses and network failures; 3 by default. */
  readonly maxAttempts?: number;
  /** The first retry's maximum delay in milliseconds, doubled on each retry with full jitter; 100 by default. */
  readonly retryBaseDelayMs?: number;
  /** Milliseconds each attempt may take before it is aborted; 30000 by default. */
  readonly requestTimeoutMs?: number;
  /** Validate input with the generated validators before sending; off by default, because the service owns its constraints. */
  readonly validate?: boolean;
  /** Sends requests; the global fetch by default. */
  readonly transport?: Transport;
  /** Receives a debug line per call with the input and output, sensitive members replaced by the generated filterSensitive functions. */
  readonly logger?: { debug(message: string, details: Readonly<Record<string, unknown>>): void };
}

/** Options of one call. */
export interface RequestOptions {
  /** Aborts the call, retries included. */
  readonly abortSignal?: AbortSignal;
  /** Overrides the client's requestTimeoutMs for this call. */
  readonly requestTimeoutMs?: number;
}

/** The calling convention of one operation, which the client target generates per operation. */
export interface OperationSpec<Input, Output> {
  readonly name: string;
  readonly serialize: (input: Input) => HttpRequest;
  readonly deserialize: (response: HttpResponse) => Output;
  /** Present when the operation is signed with SigV4 (it has no `auth: []`). */
  readonly signed: boolean;
  readonly validate?: (input: unknown) => readonly { readonly path: string; readonly message: string }[];
  /** Content encodings of the requestCompression trait, such as `["gzip"]`. */
  readonly compression?: readonly string[];
  /** Copy input and output with sensitive members redacted, for the logger. */
  readonly filterInput: (input: Input) => unknown;
  readonly filterOutput: (output: Output) => unknown;
}

/** Facts about the service that the client target writes into the generated client. */
export interface ServiceSpec {
  readonly signingName: string;
  readonly endpointRuleSet?: EndpointRuleSet;
  /** Whether an error name is a throttling error (the retryable trait with throttling). */
  readonly isThrottling: (name: string) => boolean;
  /** Builds the service's base exception for a failure that has no response, such as a timeout. */
  readonly transportError: (message: string, cause: unknown) => Error;
}

/** Input that failed client-side validation (`validate: true`); nothing was sent. */
export class ClientValidationError extends Error {
  override readonly name = "ClientValidationError";

  constructor(
    readonly operation: string,
    readonly issues: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(`${operation} input is invalid: ${issues.map((i) => i.message).join("; ")}`);
  }
}

/** A request body is compressed only from this size on, as AWS SDKs do by default (bytes). */
const MIN_COMPRESSION_BYTES = 10240;

/** The shared engine behind every generated client: endpoint, signing, retries, timeouts. */
export class ClientRuntime {
  private signer: SignatureV4 | undefined;
  private resolvedEndpoint: string | undefined;

  constructor(
    readonly config: ClientConfig,
    private readonly service: ServiceSpec,
  ) {
    const attempts = config.maxAttempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`maxAttempts must be an integer of at least 1, got ${attempts}`);
  }

  /** Returns the endpoint URL: the explicit one, or the one the endpoint rules give for the region. */
  endpoint(): string {
    if (this.resolvedEndpoint !== undefined) return this.resolvedEndpoint;
    const { endpoint, region, useFipsEndpoint = false, useDualstackEndpoint = false } = this.config;
    if (this.service.endpointRuleSet !== undefined) {
      this.resolvedEndpoint = resolveEndpoint(this.service.endpointRuleSet, { Region: region, UseFIPS: useFipsEndpoint, UseDualStack: useDualstackEndpoint, Endpoint: endpoint });
    } else if (endpoint !== undefined) {
      this.resolvedEndpoint = endpoint;
    } else {
      throw new EndpointError("the service has no endpoint rules; pass an explicit endpoint URL");
    }
    return this.resolvedEndpoint;
  }

  /** Serializes, signs and sends a call, retrying throttling errors and 5xx responses, and parses the response. */
  async send<Input, Output>(operation: OperationSpec<Input, Output>, input: Input, options: RequestOptions = {}): Promise<Output> {
    if (this.config.validate && operation.validate !== undefined) {
      const issues = operation.validate(input);
      if (issues.length > 0) throw new ClientValidationError(operation.name, issues);
    }
    const request = operation.serialize(input);
    const url = requestUrl(this.endpoint(), request);
    this.config.logger?.debug(`${operation.name} request`, { url, input: operation.filterInput(input) });
    let headers: Record<string, string> = { ...request.headers };
    let body: string | Uint8Array<ArrayBuffer> = request.body;
    if (operation.compression?.includes("gzip") && byteLength(body) >= MIN_COMPRESSION_BYTES) {
      body = await gzip(body);
      headers["content-encoding"] = headers["content-encoding"] ? `${headers["content-encoding"]}, gzip` : "gzip";
    }
    headers["content-length"] = String(byteLength(body));
    if (operation.signed) headers = await this.sign(url, headers, body);

    const maxAttempts = this.config.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      let response: TransportResponse;
      try {
        response = await this.attempt({ url, method: request.method, headers, body }, options);
      } catch (error) {
        if (options.abortSignal?.aborted || attempt >= maxAttempts) throw this.service.transportError(transportMessage(error, url), error);
        await this.backoff(attempt, options.abortSignal);
        continue;
      }
      try {
        const output = operation.deserialize(response);
        this.config.logger?.debug(`${operation.name} response`, { status: response.status, attempt, output: operation.filterOutput(output) });
        return output;
      } catch (error) {
        this.config.logger?.debug(`${operation.name} failed`, { status: response.status, attempt, error: error instanceof Error ? error.name : typeof error });
        if (attempt >= maxAttempts || !this.isRetryable(error)) throw error;
        await this.backoff(attempt, options.abortSignal);
      }
    }
  }

  private async attempt(request: Omit<TransportRequest, "signal">, options: RequestOptions): Promise<TransportResponse> {
    const timeoutMs = options.requestTimeoutMs ?? this.config.requestTimeoutMs ?? 30000;
    // One controller and a timer cleared when the attempt settles: AbortSignal.timeout costs a weak reference and a timer that outlive every call.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`the attempt took longer than ${timeoutMs} ms`, "TimeoutError")), timeoutMs);
    const caller = options.abortSignal;
    const forwardAbort = () => controller.abort(caller!.reason);
    if (caller?.aborted) controller.abort(caller.reason);
    else caller?.addEventListener("abort", forwardAbort, { once: true });
    try {
      return await (this.config.transport ?? fetchTransport)({ ...request, signal: controller.signal });
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener("abort", forwardAbort);
    }
  }

  private isRetryable(error: unknown): boolean {
    if (!(error instanceof Error) || !("$metadata" in error)) return false;
    const status = (error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode ?? 0;
    return status >= 500 || status === 429 || this.service.isThrottling(error.name);
  }

  private async backoff(attempt: number, signal: AbortSignal | undefined): Promise<void> {
    const cap = (this.config.retryBaseDelayMs ?? 100) * 2 ** (attempt - 1);
    const delay = Math.min(Math.random() * cap, 20000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delay);
      signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
    });
  }

  private async sign(url: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>): Promise<Record<string, string>> {
    const { credentials, region } = this.config;
    if (credentials === undefined) throw new Error("this operation is signed with SigV4 and needs credentials; pass `credentials` to the client");
    if (region === undefined) throw new Error("SigV4 signing needs the region; pass `region` to the client");
    this.signer ??= new SignatureV4({
      credentials: typeof credentials === "function" ? credentials : async () => credentials,
      region,
      service: this.service.signingName,
      sha256: Sha256,
    });
    const parsed = new URL(url);
    const signed = await this.signer.sign({
      method: "POST",
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      port: parsed.port === "" ? undefined : Number(parsed.port),
      path: parsed.pathname,
      query: {},
      headers: { ...headers, host: parsed.host },
      body,
    });
    return signed.headers;
  }
}

/** Joins the endpoint and the request: the host prefix goes before the host, and the request path after the endpoint's path. */
export function requestUrl(endpoint: string, request: HttpRequest): string {
  const url = new URL(endpoint);
  if (request.hostPrefix !== undefined) url.hostname = request.hostPrefix + url.hostname;
  url.pathname = url.pathname.replace(/\/$/, "") + request.path;
  return url.toString();
}

async function fetchTransport(request: TransportRequest): Promise<TransportResponse> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal: request.signal });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: await response.text() };
}

function transportMessage(error: unknown, url: string): string {
  const name = error instanceof Error ? error.name : "Error";
  if (name === "TimeoutError") return `the request to ${url} timed out`;
  if (name === "AbortError") return `the request to ${url} was aborted`;
  return `the request to ${url} failed: ${error instanceof Error ? error.message : String(error)}`;
}

const UTF8 = new TextEncoder();

function byteLength(body: string | Uint8Array<ArrayBuffer>): number {
  return typeof body === "string" ? UTF8.encode(body).length : body.length;
}

async function gzip(body: string | Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// ---------------------------------------------------------------------------
// Endpoint rules (smithy.rules#endpointRuleSet 1.0)

/** The endpointRuleSet trait's value. */
export interface EndpointRuleSet {
  readonly version: string;
  readonly parameters: Readonly<Record<string, { readonly type: string; readonly required?: boolean; readonly default?: unknown }>>;
  readonly rules: readonly EndpointRule[];
}

interface EndpointRule {
  readonly type: "endpoint" | "error" | "tree";
  readonly conditions: readonly Condition[];
  readonly endpoint?: { readonly url: Expression };
  readonly error?: Expression;
  readonly rules?: readonly EndpointRule[];
}

interface Condition {
  readonly fn: string;
  readonly argv: readonly Expression[];
  readonly assign?: string;
}

type Expression = string | number | boolean | { readonly ref: string } | Condition | readonly Expression[];

/** An endpoint that the rules reject, such as FIPS in a partition without it, or no region. */
export class EndpointError extends Error {
  override readonly name = "EndpointError";
}

interface Partition {
  readonly name: string;
  readonly regionRegex: RegExp;
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  readonly supportsFIPS: boolean;
  readonly supportsDualStack: boolean;
  readonly implicitGlobalRegion: string;
}

/**
 * The partitions `aws.partition` supports, from the AWS SDKs' partitions.json:
 * aws, aws-cn, aws-us-gov, aws-iso and aws-iso-b. Other isolated partitions
 * are left out, and their regions fall back to aws. More specific region
 * patterns come first.
 */
const PARTITIONS: readonly Partition[] = [
  { name: "aws-us-gov", regionRegex: /^us-gov-\w+-\d+$/, dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-gov-west-1" },
  { name: "aws-iso", regionRegex: /^us-iso-\w+-\d+$/, dnsSuffix: "c2s.ic.gov", dualStackDnsSuffix: "c2s.ic.gov", supportsFIPS: true, supportsDualStack: false, implicitGlobalRegion: "us-iso-east-1" },
  { name: "aws-iso-b", regionRegex: /^us-isob-\w+-\d+$/, dnsSuffix: "sc2s.sgov.gov", dualStackDnsSuffix: "sc2s.sgov.gov", supportsFIPS: true, supportsDualStack: false, implicitGlobalRegion: "us-isob-east-1" },
  { name: "aws-cn", regionRegex: /^cn-\w+-\d+$/, dnsSuffix: "amazonaws.com.cn", dualStackDnsSuffix: "api.amazonwebservices.com.cn", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "cn-northwest-1" },
  { name: "aws", regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: "amazonaws.com", dualStackDnsSuffix: "api.aws", supportsFIPS: true, supportsDualStack: true, implicitGlobalRegion: "us-east-1" },
];

const GLOBAL_REGIONS: Readonly<Record<string, string>> = { "aws-global": "aws", "aws-cn-global": "aws-cn", "aws-us-gov-global": "aws-us-gov" };

/** Evaluates the rule set for the parameters and returns the endpoint URL; throws EndpointError where the rules end in an error. */
export function resolveEndpoint(ruleSet: EndpointRuleSet, parameters: Readonly<Record<string, unknown>>): string {
  const scope: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(ruleSet.parameters)) {
    const value = parameters[name] ?? definition.default;
    if (value === undefined && definition.required) throw new EndpointError(`the endpoint parameter ${name} is required`);
    if (value !== undefined) scope[name] = value;
  }
  const url = evaluateRules(ruleSet.rules, scope);
  if (url === undefined) throw new EndpointError("no endpoint rule matched the parameters");
  return url;
}

function evaluateRules(rules: readonly EndpointRule[], outer: Record<string, unknown>): string | undefined {
  for (const rule of rules) {
    const scope = { ...outer };
    if (!rule.conditions.every((condition) => evaluateCondition(condition, scope))) continue;
    if (rule.type === "endpoint") return String(evaluate(rule.endpoint!.url, scope));
    if (rule.type === "error") throw new EndpointError(String(evaluate(rule.error!, scope)));
    const url = evaluateRules(rule.rules ?? [], scope);
    if (url !== undefined) return url;
    // A tree whose rules all fail to match is an error in rule sets 1.0; the AWS rule sets always end a tree with a catch-all.
    return undefined;
  }
  return undefined;
}

function evaluateCondition(condition: Condition, scope: Record<string, unknown>): boolean {
  const value = callFunction(condition, scope);
  if (value === undefined || value === null || value === false) return false;
  if (condition.assign !== undefined) scope[condition.assign] = value;
  return true;
}

function evaluate(expression: Expression, scope: Record<string, unknown>): unknown {
  if (typeof expression === "string") return expression.replace(/\{([^}]+)\}/g, (_, name: string) => String(lookup(name, scope)));
  if (typeof expression !== "object") return expression;
  if (Array.isArray(expression)) return expression.map((item) => evaluate(item as Expression, scope));
  if ("ref" in expression) return scope[(expression as { ref: string }).ref];
  return callFunction(expression as Condition, scope);
}

function lookup(path: string, scope: Record<string, unknown>): unknown {
  const [name, attribute] = path.split("#") as [string, string | undefined];
  const value = scope[name];
  return attribute === undefined ? value : getAttr(value, attribute);
}

function getAttr(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(part);
    current = index ? (current as unknown[] | undefined)?.[Number(index[1])] : (current as Record<string, unknown> | undefined)?.[part];
  }
  return current;
}

function callFunction(call: Condition, scope: Record<string, unknown>): unknown {
  const args = call.argv.map((argument) => evaluate(argument, scope));
  switch (call.fn) {
    case "isSet":
      return args[0] !== undefined && args[0] !== null;
    case "not":
      return args[0] !== true;
    case "booleanEquals":
    case "stringEquals":
      return args[0] === args[1];
    case "getAttr":
      return getAttr(args[0], String(args[1]));
    case "aws.partition":
      return partitionOf(String(args[0]));
    case "isValidHostLabel":
      return isValidHostLabel(String(args[0]), args[1] === true);
    case "substring":
      return substring(String(args[0]), Number(args[1]), Number(args[2]), args[3] === true);
    case "uriEncode":
      return encodeURIComponent(String(args[0])).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    case "parseURL":
      return parseUrl(String(args[0]));
    default:
      throw new EndpointError(`the endpoint rules use the function '${call.fn}', which this client does not implement`);
  }
}

function partitionOf(region: string): Record<string, unknown> {
  const byName = GLOBAL_REGIONS[region];
  const partition = PARTITIONS.find((p) => p.name === byName) ?? PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS.find((p) => p.name === "aws")!;
  const { regionRegex, ...attributes } = partition;
  return { ...attributes, regionRegex: regionRegex.source };
}

function isValidHostLabel(value: string, allowDots: boolean): boolean {
  const label = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
  return allowDots ? value.split(".").every((part) => label.test(part)) : label.test(value);
}

function substring(value: string, start: number, stop: number, reverse: boolean): string | undefined {
  if (start >= stop || value.length < stop || /[^\x00-\x7f]/.test(value)) return undefined;
  return reverse ? value.slice(value.length - stop, value.length - start) : value.slice(start, stop);
}

function parseUrl(value: string): Record<string, unknown> | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.search !== "") return undefined;
  const path = url.pathname === "/" && !value.endsWith("/") ? "" : url.pathname;
  return {
    scheme: url.protocol.slice(0, -1),
    authority: url.host,
    path,
    normalizedPath: path.endsWith("/") ? path : `${path}/`,
    isIp: /^\d+\.\d+\.\d+\.\d+$|^\[.*\]$/.test(url.hostname),
  };
}
