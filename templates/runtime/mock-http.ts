import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { pino, type Logger } from "pino";
import { handleAdminRequest } from "./mock-admin.js";
import { StateFile } from "./mock-persistence.js";
import { delay, findScenario, type Scenario } from "./mock-scenarios.js";
import { MockClock, Outbox, type BehaviorContext, type MockBehavior, type SeedCounts } from "./mock-state.js";
import type { HttpResponse } from "./protocol.js";
import { SerializationError } from "./protocol.js";
import { formatValidationMessage, type ValidationIssue } from "./validation.js";

/** The facts the generic server needs about one operation. */
export interface OperationBinding {
  readonly parse: (body: unknown) => unknown;
  readonly validate: (input: unknown) => ValidationIssue[];
  readonly serialize: (output: never, requestId: string) => HttpResponse;
  /** A deterministic output that satisfies the output shape's constraints. */
  readonly sample: () => unknown;
  /** The names of the errors the operation models, which scenarios may respond with. */
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
  /** The error the service returns for constraint violations, such as InvalidParameterException. */
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
  /** The status sent, or 499 when the connection closed before the request body ended, so no response was sent. */
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
  /** Requests with a larger body get a SerializationException and the connection is closed after the response; 1 MiB by default. */
  readonly maxBodyBytes?: number;
  /** The outbox keeps this many of the latest messages and drops older ones; 10 000 by default. */
  readonly maxOutboxMessages?: number;
  /** Milliseconds a client has to send the request headers before the server sends 408 and closes the connection; 10 000 by default. */
  readonly headersTimeoutMs?: number;
  /** Milliseconds a client has to send the whole request, headers and body, before the server sends 408 and closes the connection; 30 000 by default, and at least headersTimeoutMs. */
  readonly requestTimeoutMs?: number;
  /** JSON nested deeper than this is rejected before it is parsed; 64 by default. */
  readonly maxDepth?: number;
  /** Receives one line per request. */
  readonly log?: (line: RequestLogLine) => void;
  /** A pino logger for the startup line and one line per request; logging is off without one. */
  readonly logger?: Logger;
  /** Set to false to turn the stateful behaviour off, so scenarios and samples respond to every operation. */
  readonly behaviors?: boolean;
  /** Scenarios to try before the ones declared beside the model. */
  readonly scenarios?: readonly Scenario[];
  /** A seed document (parsed JSON or YAML) loaded into the store before the server listens. */
  readonly seed?: unknown;
  /** The region the mock pretends to run in; `us-east-1` by default. */
  readonly region?: string;
  /**
   * A SQLite file to keep the state in (user pools, clients, users, codes,
   * attempt counters, signing keys and the outbox), created when missing, so
   * the state survives a restart. Each request's writes are one transaction,
   * committed before its response is sent. The file contains client secrets,
   * private signing keys and the delivered codes, so treat it as test data
   * that must not leave the machine. `seed` applies only while the file holds
   * no records. Needs the optional dependency better-sqlite3; without this option
   * the state is kept in memory.
   */
  readonly store?: string;
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
    /** True when the server stops reading the request, so the connection must close after the response. */
    readonly closeConnection = false,
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
  readonly stateFile?: StateFile;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  baseUrl: string;
}

/** Default limits; see ServerOptions. */
const DEFAULTS = { maxBodyBytes: 1024 * 1024, maxOutboxMessages: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 } as const;

/** Starts an HTTP server that speaks the service's awsJson protocol, with the behaviour, scenarios and admin routes. */
export async function startServer(binding: ServiceBinding, handlers: Readonly<Record<string, Handler | undefined>>, options: ServerOptions = {}): Promise<MockServer> {
  const limits = checkLimits(options);
  const stateFile = options.store === undefined ? undefined : await StateFile.open(options.store, binding.targetPrefix);
  try {
    return await listen(binding, handlers, options, limits, stateFile);
  } catch (error) {
    stateFile?.close();
    throw error;
  }
}

async function listen(
  binding: ServiceBinding,
  handlers: Readonly<Record<string, Handler | undefined>>,
  options: ServerOptions,
  limits: ReturnType<typeof checkLimits>,
  stateFile: StateFile | undefined,
): Promise<MockServer> {
  const clock = new MockClock();
  const outbox = new Outbox(clock, limits.maxOutboxMessages, stateFile);
  const region = options.region ?? "us-east-1";
  const logger = options.logger ?? pino({ enabled: false });
  const fresh = stateFile?.isEmpty() ?? true;
  const behavior = options.behaviors === false ? undefined : binding.createBehavior?.({ clock, outbox, region, stateFile });
  const seed = behavior && options.seed !== undefined && fresh ? behavior.seed.bind(behavior, options.seed) : undefined;
  // A seed that fails stops the start, so none of its records may reach the file.
  const seeded: SeedCounts = seed === undefined ? {} : stateFile === undefined ? await seed() : await stateFile.transaction(seed, { commitOnError: false });

  const runtime: Runtime = {
    binding,
    options,
    handlers: { ...(behavior?.handlers as Record<string, Handler | undefined> | undefined), ...handlers },
    scenarios: [...(options.scenarios ?? []), ...binding.scenarios],
    behavior,
    clock,
    outbox,
    stateFile,
    logger,
    maxBodyBytes: limits.maxBodyBytes,
    baseUrl: "",
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts on this interval, 30 s by default, which would let short timeouts run long.
      connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(limits.headersTimeoutMs / 4))),
    },
    (request, response) => {
      void handleRequest(runtime, request, response);
    },
  );
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => answerClientError(logger, error, socket));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  runtime.baseUrl = `http://${host}:${address.port}`;
  logger.info(
    { url: runtime.baseUrl, seeded, behaviors: behavior !== undefined, scenarios: runtime.scenarios.length, store: stateFile === undefined ? "memory" : stateFile.path },
    "mock server listening",
  );

  return {
    url: runtime.baseUrl,
    server,
    clock,
    outbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          stateFile?.close();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Returns the body and outbox limits and the timeouts, with defaults, after checking that each is a positive integer. */
function checkLimits(options: ServerOptions): { maxBodyBytes: number; maxOutboxMessages: number; headersTimeoutMs: number; requestTimeoutMs: number } {
  const limits = {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    maxOutboxMessages: options.maxOutboxMessages ?? DEFAULTS.maxOutboxMessages,
    headersTimeoutMs: options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? Math.max(DEFAULTS.requestTimeoutMs, options.headersTimeoutMs ?? 0),
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`invalid mock server option ${name} ${String(value)}: expected a positive integer`);
  }
  if (limits.requestTimeoutMs < limits.headersTimeoutMs) {
    throw new RangeError(`invalid mock server option requestTimeoutMs ${limits.requestTimeoutMs}: it must be at least headersTimeoutMs (${limits.headersTimeoutMs}), since the request includes its headers`);
  }
  return limits;
}

/** Responds to a request that Node could not parse or that timed out, as Node's default handler does, and logs its error code but none of its bytes. */
function answerClientError(logger: Logger, error: NodeJS.ErrnoException, socket: Duplex): void {
  const code = error.code ?? error.name;
  logger.warn({ code }, "client error");
  if (code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  let status = "400 Bad Request";
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") status = "408 Request Timeout";
  else if (code === "HPE_HEADER_OVERFLOW") status = "431 Request Header Fields Too Large";
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

async function handleRequest(runtime: Runtime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const url = request.url ?? "/";
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  const outcome: Outcome = { operation: undefined, failure: undefined };

  let reply: HttpResponse;
  let errorName: string | undefined;
  try {
    reply = runtime.stateFile === undefined ? await answer(runtime, request, path, requestId, outcome) : await runtime.stateFile.transaction(() => answer(runtime, request, path, requestId, outcome));
  } catch (error) {
    if (error instanceof ClientDisconnected) {
      if (isLogging(runtime)) logRequest(runtime, request, path, { requestId, operation: outcome.operation, status: 499, error: error.name, durationMs: elapsed(started) });
      return;
    }
    const serviceError = toServiceError(runtime.binding, error);
    if (serviceError.name === "InternalFailure") {
      outcome.failure = error instanceof Error ? error.name : typeof error;
      runtime.logger.error({ requestId, operation: outcome.operation, failure: outcome.failure }, "handler failed");
    }
    errorName = serviceError.name;
    reply = runtime.binding.serializeError(serviceError as never, { requestId, useModeledStatus: runtime.options.useModeledStatus });
    // The rest of an oversized body is not read into memory, so the connection cannot carry another request.
    if (error instanceof ProtocolError && error.closeConnection) response.shouldKeepAlive = false;
  }

  if (reply.status >= 400) errorName ??= reply.headers["x-amzn-errortype"]?.replace(/:.*$/, "");
  if (!response.headersSent && !response.destroyed) {
    response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    response.end(reply.body);
  }
  if (!isLogging(runtime)) return;
  logRequest(runtime, request, path, { requestId, operation: outcome.operation, status: reply.status, error: errorName, failure: outcome.failure, durationMs: elapsed(started) });
}

/** Facts handleRequest collects while the reply is computed, for the log line. */
interface Outcome {
  operation: string | undefined;
  failure: string | undefined;
}

/** Computes the reply to one request: an admin or behaviour route, or an operation of the service. */
async function answer(runtime: Runtime, request: IncomingMessage, path: string, requestId: string, outcome: Outcome): Promise<HttpResponse> {
  // The API path skips the special routes without awaiting them, since nearly every request goes there.
  if (path !== "/") {
    const special = await specialRoute(runtime, request, path);
    if (special !== undefined) return special;
  }
  const operation = routeOf(runtime.binding, request, path);
  outcome.operation = operation;
  const body = parseBody(await readBody(request, runtime.maxBodyBytes), runtime.options.maxDepth ?? 64);
  return invoke(runtime, operation, body, requestId);
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/** Returns true when a request line has somewhere to go, so the line is not built for nothing. */
function isLogging(runtime: Runtime): boolean {
  return runtime.options.log !== undefined || runtime.logger.isLevelEnabled("info");
}

function logRequest(runtime: Runtime, request: IncomingMessage, path: string, line: RequestLogLine): void {
  runtime.options.log?.(line);
  if (!runtime.logger.isLevelEnabled("info")) return;
  runtime.logger.info(line.operation === undefined ? { ...line, method: request.method, path: loggablePath(path) } : line, "request");
}

/** Keeps only the first segment of a path outside the API, since later segments may carry ids. */
function loggablePath(path: string): string {
  return path.startsWith("/_mock/") ? path.slice(0, 64) : `/${path.split("/")[1] ?? ""}...`.slice(0, 64);
}

/** Serves the admin routes under /_mock/ and the behaviour's own routes, such as a JWKS document. */
async function specialRoute(runtime: Runtime, request: IncomingMessage, path: string): Promise<HttpResponse | undefined> {
  if (path === "/_mock" || path.startsWith("/_mock/")) {
    const body = request.method === "POST" ? await readBody(request, runtime.maxBodyBytes) : "";
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
  if (typeof target !== "string" || target === "") {
    throw new ProtocolError("UnknownOperationException", `Missing X-Amz-Target header; send '${prefix}<Operation>', such as '${prefix}${Object.keys(binding.operations)[0] ?? ""}'`);
  }
  const name = typeof target === "string" && target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  if (name === undefined || !Object.hasOwn(binding.operations, name)) {
    throw new ProtocolError("UnknownOperationException", `Unknown operation '${target.slice(0, 128)}'`);
  }
  return name;
}

/**
 * Reads the body, rejecting more than maxBytes whatever Content-Length
 * claims. Throws ClientDisconnected when the connection closes before the
 * body ends, as when a client gives up or the request timeout closes it.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    request.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      chunks.length = 0;
      request.resume();
      reject(tooLarge(maxBytes));
    };
    request.on("data", onData);
    // Listeners are added with on(), not once(), since the request object and its listeners live only as long as this request.
    request.on("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    request.on("close", () => {
      if (!request.complete) reject(new ClientDisconnected("The connection closed before the request body ended"));
    });
    request.on("error", () => reject(new ClientDisconnected("The connection failed before the request body ended")));
  });
}

function tooLarge(maxBytes: number): ProtocolError {
  return new ProtocolError("SerializationException", `The request body is larger than ${maxBytes} bytes`, true);
}

/** The connection closed before the whole request arrived, so no response can be sent. */
class ClientDisconnected extends Error {
  override readonly name = "ClientDisconnected";
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
