/**
 * A 60 s soak of shapegen's mock server: ForgotPassword at a steady rate,
 * reported per 10 s window as p50 and p99 latency and the server's memory
 * (heap after a forced GC, and RSS). Half of the requests name an unknown
 * user on a client with PreventUserExistenceErrors (200, no change of state).
 * The other half are real password resets for one of many users, so the
 * outbox and the attempt counters grow as they would in a long test run.
 * Not run in CI; the figures go to bench/results/soak.json.
 *
 * Run: npx tsx bench/soak.ts [requests per second, default 2000]
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { writeResults } from "./lib/report.js";
import { cpuSeconds, MEMORY_REPLY, startChildModule } from "./lib/servers.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const WINDOWS = 6;
const WINDOW_SECONDS = 10;
const CONNECTIONS = 10;
const RATE = Number(process.argv[2] ?? 2000);
const CLIENT_ID = "soakclient1234567890abcdef";
/** Users who receive real codes; with 5 attempts each per hour, this many cover the real resets of the whole soak at the default rate. */
const USERS = 20_000;

const SHAPEGEN = `
import { startMockServer } from "cognito-identity-provider/mock-server";
const users = Array.from({ length: ${USERS} }, (_, i) => ({ Username: "soak-" + i, PasswordHash: "scrypt$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", Attributes: { email: "soak-" + i + "@example.com", email_verified: "true" } }));
const server = await startMockServer({
  seed: { userPools: [{ Id: "us-east-1_soak", PoolName: "soak", clients: [{ ClientId: "${CLIENT_ID}", ClientName: "web", PreventUserExistenceErrors: "ENABLED" }], users }] },
});
${MEMORY_REPLY}
process.stdout.write(server.url + "\\n");
`;

interface Window {
  readonly window: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly heapUsedMiB: number;
  readonly rssMiB: number;
  readonly serverCpuMicrosecondsPerRequest?: number;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "generated", "cognito-identity-provider")], { stdio: "inherit" });
  console.log(`soak: ${WINDOWS} windows of ${WINDOW_SECONDS} s at ${RATE} requests/s over ${CONNECTIONS} connections; load average ${os.loadavg().map((load) => load.toFixed(2)).join(", ")} on ${os.cpus().length} cores`);

  const server = await startChildModule(SHAPEGEN);
  const headers = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.ForgotPassword" };
  let next = 0;
  const windows: Window[] = [];
  try {
    for (let window = 1; window <= WINDOWS; window++) {
      const cpuBefore = cpuSeconds(server.child.pid);
      const result = await autocannon({
        url: server.url,
        connections: CONNECTIONS,
        overallRate: RATE,
        duration: WINDOW_SECONDS,
        requests: [
          { method: "POST", headers, body: JSON.stringify({ ClientId: CLIENT_ID, Username: "nobody-in-this-pool" }) },
          // A real reset: one code to the outbox and one attempt per request, for a user who has not reached the limit.
          { method: "POST", headers, setupRequest: (request) => ({ ...request, body: JSON.stringify({ ClientId: CLIENT_ID, Username: `soak-${next++ % USERS}` }) }) },
        ],
      });
      const cpuAfter = cpuSeconds(server.child.pid);
      const memory = await server.memory();
      const statuses: Record<string, number> = {};
      for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stats.count ?? 0;
      const entry: Window = {
        window,
        requestsPerSecond: Math.round(result.requests.total / result.duration),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        statuses,
        errors: result.errors,
        heapUsedMiB: Math.round((memory.heapUsed / 2 ** 20) * 10) / 10,
        rssMiB: Math.round((memory.rss / 2 ** 20) * 10) / 10,
        ...(cpuBefore === undefined || cpuAfter === undefined ? {} : { serverCpuMicrosecondsPerRequest: Math.round(((cpuAfter - cpuBefore) / result.requests.total) * 1e7) / 10 }),
      };
      windows.push(entry);
      console.log(
        `window ${window} (${(window - 1) * WINDOW_SECONDS}-${window * WINDOW_SECONDS} s): ${entry.requestsPerSecond} req/s  p50 ${entry.p50Ms} ms  p99 ${entry.p99Ms} ms  heap ${entry.heapUsedMiB} MiB  rss ${entry.rssMiB} MiB  server CPU ${entry.serverCpuMicrosecondsPerRequest ?? "?"} µs/req  ${JSON.stringify(statuses)}  errors ${entry.errors}`,
      );
    }
  } finally {
    await server.stop();
  }
  writeResults("soak", { settings: { rate: RATE, connections: CONNECTIONS, windowSeconds: WINDOW_SECONDS, users: USERS, loadAverage: os.loadavg() }, windows });
}

await main();
