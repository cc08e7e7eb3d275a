import { spawn, type ChildProcess } from "node:child_process";
import autocannon, { type Result } from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLIENT_ID = "loadclient1234567890abcdef";

/** Requests per second autocannon sends, spread over its connections; low enough for a loaded CI machine. */
const RATE = 800;
const HALF_SECONDS = 2;
/** How much the heap after a forced GC may grow from the end of the first half to the end of the second: an estimate with room for the JIT and pools of sockets. */
const MAX_HEAP_GROWTH_BYTES = 8 * 1024 * 1024;

/**
 * The mock in a child process started with --expose-gc: it prints its URL,
 * and answers each IPC message with its memory use after a forced GC.
 */
const CHILD = `
import { startMockServer } from "cognito-identity-provider/mock-server";
const server = await startMockServer({
  seed: { userPools: [{ Id: "us-east-1_load", PoolName: "load", clients: [{ ClientId: "${CLIENT_ID}", ClientName: "web", PreventUserExistenceErrors: "ENABLED" }] }] },
});
process.on("message", () => {
  globalThis.gc();
  process.send(process.memoryUsage());
});
process.on("disconnect", () => void server.close().then(() => process.exit(0)));
process.stdout.write(server.url + "\\n");
`;

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", CHILD], { stdio: ["ignore", "pipe", "inherit", "ipc"] });
  url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the mock child process exited with code ${code} before it listened`)));
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString("utf8").trim()));
  });
});

afterAll(() => {
  if (child.connected) child.disconnect();
});

function heapAfterGc(): Promise<number> {
  return new Promise((resolve) => {
    child.once("message", (usage) => resolve((usage as NodeJS.MemoryUsage).heapUsed));
    child.send("gc");
  });
}

/** Sends ForgotPassword at a steady rate: an unknown user, which PreventUserExistenceErrors answers with 200, and an unknown client, which gets 400. */
function load(seconds: number): Promise<Result> {
  const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.ForgotPassword" };
  return autocannon({
    url,
    connections: 10,
    overallRate: RATE,
    duration: seconds,
    requests: [
      { method: "POST", headers, body: JSON.stringify({ ClientId: CLIENT_ID, Username: "nobody" }) },
      { method: "POST", headers, body: JSON.stringify({ ClientId: "nosuchclient1234567890abcd", Username: "nobody" }) },
    ],
  });
}

describe("mock server under steady load", () => {
  it("answers every request and keeps its heap bounded", async () => {
    const first = await load(HALF_SECONDS);
    const heapFirst = await heapAfterGc();
    const second = await load(HALF_SECONDS);
    const heapSecond = await heapAfterGc();

    for (const result of [first, second]) {
      expect(result.errors, "socket errors").toBe(0);
      expect(result.timeouts, "timeouts").toBe(0);
      const statuses = result.statusCodeStats ?? {};
      expect(Object.keys(statuses).sort(), "only the expected statuses").toEqual(["200", "400"]);
      // The two requests alternate on each connection, so about half are the expected 400s.
      const ok = statuses["200"]?.count ?? 0;
      expect(Math.abs(ok - result.non2xx)).toBeLessThanOrEqual(10);
      expect(result.requests.total, "requests sent").toBeGreaterThan(RATE * HALF_SECONDS * 0.25);
    }
    expect(heapSecond - heapFirst, `heap grew from ${heapFirst} to ${heapSecond} bytes`).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  });
});
