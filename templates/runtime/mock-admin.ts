import type { MockRuntime } from "./mock-http.js";
import { SeedError } from "./mock-state.js";
import type { HttpResponse } from "./protocol.js";

/**
 * Serves the mock's own routes, which are no part of the service's API:
 *
 *   GET    /_mock/outbox   delivered messages, oldest first
 *   DELETE /_mock/outbox   empties the outbox
 *   GET    /_mock/clock    the mock's current time
 *   POST   /_mock/clock    `{"now": "2030-01-01T00:00:00Z"}` or `{"advanceSeconds": 3600}`
 *   DELETE /_mock/clock    returns the clock to real time
 *   GET    /_mock/state    the store as JSON, secrets hashed
 *   POST   /_mock/seed     adds the records of a seed document (JSON)
 *   POST   /_mock/reset    empties the store and the outbox and resets the clock
 */
export async function handleAdminRequest(runtime: MockRuntime, method: string, path: string, body: string): Promise<HttpResponse> {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /_mock/outbox":
      return json(200, { messages: runtime.outbox.list() });
    case "DELETE /_mock/outbox":
      runtime.outbox.clear();
      return json(200, { messages: [] });
    case "GET /_mock/clock":
      return json(200, clockView(runtime));
    case "POST /_mock/clock":
      return setClock(runtime, body);
    case "DELETE /_mock/clock":
      runtime.clock.reset();
      return json(200, clockView(runtime));
    case "GET /_mock/state":
      return json(200, { state: runtime.behavior?.dump() ?? null, outbox: runtime.outbox.list().length, now: runtime.clock.now().toISOString() });
    case "POST /_mock/seed":
      return seed(runtime, body);
    case "POST /_mock/reset":
      runtime.behavior?.reset();
      runtime.outbox.clear();
      runtime.clock.reset();
      return json(200, { reset: true });
    default:
      return json(404, { error: "NotFound", message: `No admin route ${method} ${path.slice(0, 64)}; see GET /_mock/outbox, /_mock/clock, /_mock/state` });
  }
}

function clockView(runtime: MockRuntime): { now: string; offsetSeconds: number } {
  const now = runtime.clock.now();
  return { now: now.toISOString(), offsetSeconds: Math.round((now.getTime() - Date.now()) / 1000) };
}

function setClock(runtime: MockRuntime, body: string): HttpResponse {
  const request = parseObject(body);
  if (request === undefined) return json(400, { error: "InvalidRequest", message: 'The body must be a JSON object such as {"now": "2030-01-01T00:00:00Z"} or {"advanceSeconds": 3600}' });

  if (request.now !== undefined) {
    let time = new Date(NaN);
    if (typeof request.now === "number") time = new Date(request.now * 1000);
    else if (typeof request.now === "string") time = new Date(request.now);
    if (Number.isNaN(time.getTime())) return json(400, { error: "InvalidRequest", message: `Invalid 'now' ${JSON.stringify(request.now).slice(0, 64)}: expected an ISO 8601 date-time or epoch seconds` });
    runtime.clock.set(time);
  }
  if (request.advanceSeconds !== undefined) {
    if (typeof request.advanceSeconds !== "number" || !Number.isFinite(request.advanceSeconds)) {
      return json(400, { error: "InvalidRequest", message: `Invalid 'advanceSeconds' ${JSON.stringify(request.advanceSeconds).slice(0, 64)}: expected a number of seconds` });
    }
    runtime.clock.advance(request.advanceSeconds);
  }
  return json(200, clockView(runtime));
}

async function seed(runtime: MockRuntime, body: string): Promise<HttpResponse> {
  if (runtime.behavior === undefined) return json(409, { error: "NoBehavior", message: "The server runs without behaviour, so it has no store to seed" });
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return json(400, { error: "InvalidRequest", message: "The seed document is not valid JSON" });
  }
  try {
    return json(200, { seeded: await runtime.behavior.seed(document) });
  } catch (error) {
    if (error instanceof SeedError) return json(400, { error: "InvalidSeed", message: error.message });
    throw error;
  }
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
