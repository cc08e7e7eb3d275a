import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import { handleAdminRequest } from "./mock-admin.js";
import { delay, findScenario, type Scenario } from "./mock-scenarios.js";
import { MockClock, Outbox, type BehaviorContext, type MockBehavior, type SeedCounts } from "./mock-state.js";
import type { HttpResponse } from "./protocol.js";
import { SerializationError } from "./protocol.js";
import { formatValidationMessage, type ValidationIssue } from "./validation.js";

/** What the generic server needs to know about one operation. */
export interface OperationBinding {
  readonly parse: (body: unknown) => unknown;
  readonly validate: (input: unknown) => ValidationIssue[];
  readonly serialize: (output: never, requestId: string) => HttpResponse;
  /** A deterministic output that satisfies the output shape's constraints. */
  readonly sample: () => unknown;
  /** The names of the errors the operation models, which scenarios may answer with. */
  readonly errors: readonly string[];
}

/** The service-specific parts the generated module passes in. */
export interface ServiceBinding {
  /** The service shape's name, the part of X-Amz-Target before the dot. */
  readonly targetPrefix: string;
  readonly contentType: string;
  readonly operations: Readonly<Record<string, OperationBinding>>;
  /** Builds an error by name: the modeled class when there is one, else the service's base error class. */
  readonly error: (name: string, fault: "client" | "server", message: string) => Error & { $fault: "client" | "server" };
  /** The error the service answers constraint violations with, such as InvalidParameterException. */
  readonly validationErrorName: string;
  readonly serializeError: (error: never, options: { requestId: string; useModeledStatus?: boolean }) => HttpResponse;
  /** Returns true for errors of the service's own classes, which are sent as they are. */
  readonly isServiceError: (error: unknown) => boolean;
  /** Builds the stateful behaviour, for services whose model folder has behaviour modules. */
  readonly createBehavior?: (context: BehaviorContext) => MockBehavior;
  /** Scenarios declared beside the model. */
  readonly scenarios: readonly Scenario[];
}

/** Context a behaviour handler receives with the input. */
export interface RequestContext {
  readonly operation: string;
  readonly requestId: string;
  /** The server's base URL, such as `http://127.0.0.1:39123`, for values that name the server, like a token issuer. */
  readonly baseUrl: string;
}

/** One line per request; it carries no member values, so no sensitive value can reach the log. */
export interface RequestLogLine {
  readonly requestId: string;
  readonly operation?: string;
  readonly status: number;
  readonly error?: string;
  /** For an unexpected failure of a handler, the class of what it threw, such as TypeError. */
  readonly failure?: string;
  readonly durationMs: number;
}

type Handler = (input: never, context: RequestContext) => unknown;

export interface ServerOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The address to listen on; loopback by default. */
  readonly host?: string;
  /** Send the model's httpError status for client errors instead of 400, which the real service sends. */
  readonly useModeledStatus?: boolean;
  /** Requests with a larger body get a SerializationException; 1 MiB by default. */
  readonly maxBodyBytes?: number;
  /** JSON nested deeper than this is rejected before it is parsed; 64 by default. */
  readonly maxDepth?: number;
  /** Receives one line per request. */
  readonly log?: (line: RequestLogLine) => void;
  /** A pino logger for the startup line and one line per request; logging is off without one. */
  readonly logger?: Logger;
  /** Set to false to turn the stateful behaviour off, so scenarios and samples answer every operation. */
  readonly behaviors?: boolean;
  /** Scenarios to try before the ones declared beside the model. */
  readonly scenarios?: readonly Scenario[];
  /** A seed document (parsed JSON or YAML) loaded into the store before the server listens. */
  readonly seed?: unknown;
  /** The region the mock pretends to run in; `us-east-1` by default. */
  readonly region?: string;
}

export interface MockServer {
  /** The base URL, such as `http://127.0.0.1:39123`; point a client's endpoint at it. */
  readonly url: string;
  readonly server: Server;
  /** The mock's clock; `clock.advance(3600)` moves it one hour forward. */
  readonly clock: MockClock;
  /** Messages the behaviour delivered, such as confirmation codes. */
  readonly outbox: Outbox;
  close(): Promise<void>;
}

/** A request the server rejects before any handler runs, with the error name the protocol uses. */
class ProtocolError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Everything a request needs, fixed when the server starts. */
interface Runtime {
  readonly binding: ServiceBinding;
  readonly options: ServerOptions;
  readonly handlers: Readonly<Record<string, Handler | undefined>>;
  readonly scenarios: readonly Scenario[];
  readonly behavior?: MockBehavior;
  readonly clock: MockClock;
  readonly outbox: Outbox;
  readonly logger: Logger;
  baseUrl: string;
}

/** Starts an HTTP server that speaks the service's awsJson protocol, with the behaviour, scenarios and admin routes. */
export async function startServer(binding: ServiceBinding, handlers: Readonly<Record<string, Handler | undefined>>, options: ServerOptions = {}): Promise<MockServer> {
  const clock = new MockClock();
  const outbox = new Outbox(clock);
  const region = options.region ?? "us-east-1";
  const behavior = options.behaviors === false ? undefined : binding.createBehavior?.({ clock, outbox, region });
  const seeded: SeedCounts = behavior && options.seed !== undefined ? await behavior.seed(options.seed) : {};

  const runtime: Runtime = {
    binding,
    options,
    handlers: { ...(behavior?.handlers as Record<string, Handler | undefined> | undefined), ...handlers },
    scenarios: [...(options.scenarios ?? []), ...binding.scenarios],
    behavior,
    clock,
    outbox,
    logger: options.logger ?? pino({ enabled: false }),
    baseUrl: "",
  };
  const server = createServer((request, response) => {
    void handleRequest(runtime, request, response);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  runtime.baseUrl = `http://${host}:${address.port}`;
  runtime.logger.info({ url: runtime.baseUrl, seeded, behaviors: behavior !== undefined, scenarios: runtime.scenarios.length }, "mock server listening");

  return {
    url: runtime.baseUrl,
    server,
    clock,
    outbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handleRequest(runtime: Runtime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const path = (request.url ?? "/").split("?")[0]!;
  let operation: string | undefined;
  let reply: HttpResponse;
  let errorName: string | undefined;
  let failure: string | undefined;

  try {
    const special = await specialRoute(runtime, request, path);
    if (special !== undefined) {
      reply = special;
    } else {
      operation = routeOf(runtime.binding, request, path);
      const body = parseBody(await readBody(request, runtime.options.maxBodyBytes ?? 1024 * 1024), runtime.options.maxDepth ?? 64);
      reply = await invoke(runtime, operation, body, requestId);
    }
  } catch (error) {
    const serviceError = toServiceError(runtime.binding, error);
    if (serviceError.name === "InternalFailure") {
      failure = error instanceof Error ? error.name : typeof error;
      runtime.logger.error({ requestId, operation, failure }, "handler failed");
    }
    errorName = serviceError.name;
    reply = runtime.binding.serializeError(serviceError as never, { requestId, useModeledStatus: runtime.options.useModeledStatus });
  }

  if (reply.status >= 400) errorName ??= reply.headers["x-amzn-errortype"]?.replace(/:.*$/, "");
  if (!response.headersSent) {
    response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    response.end(reply.body);
  }
  const line: RequestLogLine = { requestId, operation, status: reply.status, error: errorName, failure, durationMs: Math.round((performance.now() - started) * 100) / 100 };
  runtime.options.log?.(line);
  runtime.logger.info(operation === undefined ? { ...line, method: request.method, path: loggablePath(path) } : line, "request");
}

/** Keeps only the first segment of a path outside the API, since later segments may carry ids. */
function loggablePath(path: string): string {
  return path.startsWith("/_mock/") ? path.slice(0, 64) : `/${path.split("/")[1] ?? ""}...`.slice(0, 64);
}

/** Serves the admin routes under /_mock/ and the behaviour's own routes, such as a JWKS document. */
async function specialRoute(runtime: Runtime, request: IncomingMessage, path: string): Promise<HttpResponse | undefined> {
  if (path === "/_mock" || path.startsWith("/_mock/")) {
    const body = request.method === "POST" ? await readBody(request, runtime.options.maxBodyBytes ?? 1024 * 1024) : "";
    return handleAdminRequest(runtime, request.method ?? "GET", path, body);
  }
  if (path === "/" || runtime.behavior?.route === undefined) return undefined;
  return runtime.behavior.route(request.method ?? "GET", path, runtime.baseUrl);
}

function routeOf(binding: ServiceBinding, request: IncomingMessage, path: string): string {
  if (request.method !== "POST" || path !== "/") {
    throw new ProtocolError("UnknownOperationException", `The service accepts only POST / requests, not ${request.method} ${path.slice(0, 64)}`);
  }
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== binding.contentType) {
    throw new ProtocolError("SerializationException", `Expected Content-Type ${binding.contentType}, got '${contentType.slice(0, 64)}'`);
  }
  const target = request.headers["x-amz-target"];
  const prefix = `${binding.targetPrefix}.`;
  const name = typeof target === "string" && target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  if (name === undefined || !Object.hasOwn(binding.operations, name)) {
    throw new ProtocolError("UnknownOperationException", `Unknown operation '${typeof target === "string" ? target.slice(0, 128) : ""}'`);
  }
  return name;
}

/** Reads the body, refusing more than maxBytes whatever Content-Length claims. */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    request.resume();
    throw new ProtocolError("SerializationException", `The request body is larger than ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      request.resume();
      throw new ProtocolError("SerializationException", `The request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a body that must be a JSON object; depth is checked on the text first, so deep input never reaches JSON.parse. */
function parseBody(text: string, maxDepth: number): unknown {
  if (text.trim() === "") return {};
  if (nestingDepth(text) > maxDepth) throw new ProtocolError("SerializationException", `The request body is nested more than ${maxDepth} levels deep`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProtocolError("SerializationException", "The request body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ProtocolError("SerializationException", "The request body must be a JSON object");
  }
  return body;
}

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return max;
}

/** Answers from, in order: a behaviour handler, a matching scenario, a sample of the output. */
async function invoke(runtime: Runtime, operation: string, body: unknown, requestId: string): Promise<HttpResponse> {
  const { binding } = runtime;
  const bound = binding.operations[operation]!;
  const input = bound.parse(body);
  const issues = bound.validate(input);
  if (issues.length > 0) throw binding.error(binding.validationErrorName, "client", formatValidationMessage(issues));

  const handler = runtime.handlers[operation];
  if (handler) return bound.serialize((await handler(input as never, { operation, requestId, baseUrl: runtime.baseUrl })) as never, requestId);

  const scenario = findScenario(runtime.scenarios, operation, body);
  if (scenario === undefined) return bound.serialize(bound.sample() as never, requestId);
  await delay(scenario.delayMs);
  if (scenario.error !== undefined) throw binding.error(scenario.error.name, "client", scenario.error.message);
  return { status: 200, headers: { "content-type": binding.contentType, "x-amzn-requestid": requestId }, body: JSON.stringify(scenario.output ?? {}) };
}

function toServiceError(binding: ServiceBinding, error: unknown): Error & { $fault: "client" | "server" } {
  if (binding.isServiceError(error)) return error as Error & { $fault: "client" | "server" };
  if (error instanceof ProtocolError) return binding.error(error.errorName, "client", error.message);
  if (error instanceof SerializationError) return binding.error("SerializationException", "client", error.message);
  // NOTE: an unexpected failure in a handler is answered as the protocol's InternalFailure; its message is not sent, since it may carry input values.
  return binding.error("InternalFailure", "server", "An internal error occurred in the mock server");
}

export type { Runtime as MockRuntime };
