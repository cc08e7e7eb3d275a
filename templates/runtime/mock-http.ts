import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
}

/** Context a behaviour handler receives with the input. */
export interface RequestContext {
  readonly operation: string;
  readonly requestId: string;
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
}

export interface MockServer {
  /** The base URL, such as `http://127.0.0.1:39123`; point a client's endpoint at it. */
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

type Handler = (input: never, context: RequestContext) => unknown;

/** A request the server rejects before any handler runs, with the error name the protocol uses. */
class ProtocolError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts an HTTP server that speaks the service's awsJson protocol. */
export async function startServer(binding: ServiceBinding, handlers: Readonly<Record<string, Handler | undefined>>, options: ServerOptions = {}): Promise<MockServer> {
  const server = createServer((request, response) => {
    void handleRequest(binding, handlers, options, request, response);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handleRequest(
  binding: ServiceBinding,
  handlers: Readonly<Record<string, Handler | undefined>>,
  options: ServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  let operation: string | undefined;
  let reply: HttpResponse;
  let errorName: string | undefined;
  let failure: string | undefined;

  try {
    operation = routeOf(binding, request);
    const body = parseBody(await readBody(request, options.maxBodyBytes ?? 1024 * 1024), options.maxDepth ?? 64);
    reply = await invoke(binding, handlers, operation, body, requestId);
  } catch (error) {
    const serviceError = toServiceError(binding, error);
    if (serviceError.name === "InternalFailure") failure = error instanceof Error ? error.name : typeof error;
    errorName = serviceError.name;
    reply = binding.serializeError(serviceError as never, { requestId, useModeledStatus: options.useModeledStatus });
  }

  if (reply.status >= 400) errorName ??= reply.headers["x-amzn-errortype"]?.replace(/:.*$/, "");
  response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
  response.end(reply.body);
  options.log?.({ requestId, operation, status: reply.status, error: errorName, failure, durationMs: Math.round((performance.now() - started) * 100) / 100 });
}

function routeOf(binding: ServiceBinding, request: IncomingMessage): string {
  if (request.method !== "POST" || (request.url ?? "/").split("?")[0] !== "/") {
    throw new ProtocolError("UnknownOperationException", `The service accepts only POST / requests, not ${request.method} ${request.url}`);
  }
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (contentType !== binding.contentType) {
    throw new ProtocolError("SerializationException", `Expected Content-Type ${binding.contentType}, got '${contentType}'`);
  }
  const target = request.headers["x-amz-target"];
  const prefix = `${binding.targetPrefix}.`;
  const name = typeof target === "string" && target.startsWith(prefix) ? target.slice(prefix.length) : undefined;
  if (name === undefined || !Object.hasOwn(binding.operations, name)) {
    throw new ProtocolError("UnknownOperationException", `Unknown operation '${typeof target === "string" ? target : ""}'`);
  }
  return name;
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
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

async function invoke(
  binding: ServiceBinding,
  handlers: Readonly<Record<string, Handler | undefined>>,
  operation: string,
  body: unknown,
  requestId: string,
): Promise<HttpResponse> {
  const bound = binding.operations[operation]!;
  const input = bound.parse(body);
  const issues = bound.validate(input);
  if (issues.length > 0) throw binding.error(binding.validationErrorName, "client", formatValidationMessage(issues));

  const handler = handlers[operation];
  const output = handler ? await handler(input as never, { operation, requestId }) : bound.sample();
  return bound.serialize(output as never, requestId);
}

function toServiceError(binding: ServiceBinding, error: unknown): Error & { $fault: "client" | "server" } {
  if (binding.isServiceError(error)) return error as Error & { $fault: "client" | "server" };
  if (error instanceof ProtocolError) return binding.error(error.errorName, "client", error.message);
  if (error instanceof SerializationError) return binding.error("SerializationException", "client", error.message);
  // NOTE: an unexpected failure in a handler is answered as the protocol's InternalFailure; its message is not sent, since it may carry input values.
  return binding.error("InternalFailure", "server", "An internal error occurred in the mock server");
}
