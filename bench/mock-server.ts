/**
 * ForgotPassword throughput and latency on loopback, with autocannon (10
 * connections, 2 s warm-up, then 10 s measured), for:
 *
 * - shapegen's mock server, from the compiled generated package, in memory
 *   and with a SQLite store;
 * - cognito-local 5.3.0, installed at bench time into /tmp/shapegen-peers
 *   (outside this repository's package.json) and set up with the official SDK;
 * - a bare node:http server that sends shapegen's response body as a fixed
 *   string, the ceiling any Node server can reach on this machine.
 *
 * The attempt limit (5 ForgotPassword calls per user and hour) would turn a
 * known user's requests into LimitExceededException within a millisecond, so
 * shapegen gets an unknown user on a client with PreventUserExistenceErrors:
 * a 200 with a simulated delivery and no change of state. cognito-local 5.3.0
 * does not implement PreventUserExistenceErrors, so it gets two requests: the
 * same unknown user, which it answers with a 400 UserNotFoundException after
 * the same lookups, and a known user, its only 200 path, which also delivers
 * a code and saves the user. Each server runs in its own child process.
 *
 * Run: npx tsx bench/mock-server.ts
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { writeResults } from "./lib/report.js";
import { cpuSeconds, figuresOf, MEMORY_REPLY, runLoad, startChildModule, stopChild, type LoadFigures, type LoadRequest } from "./lib/servers.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const PEERS = "/tmp/shapegen-peers";
const COGNITO_LOCAL = "cognito-local@5.3.0";
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const SECONDS = 10;

const TARGET = "AWSCognitoIdentityProviderService.ForgotPassword";
const CLIENT_ID = "benchclient1234567890abcde";
const UNKNOWN_USER = "nobody-in-this-pool";

/** shapegen's mock with a pool whose client prevents user-existence errors; STORE_FILE turns the SQLite store on. */
const SHAPEGEN = `
import { startMockServer } from "cognito-identity-provider/mock-server";
const server = await startMockServer({
  store: process.env.STORE_FILE || undefined,
  seed: { userPools: [{ Id: "us-east-1_bench", PoolName: "bench", clients: [{ ClientId: "${CLIENT_ID}", ClientName: "web", PreventUserExistenceErrors: "ENABLED" }] }] },
});
${MEMORY_REPLY}
process.stdout.write(server.url + "\\n");
`;

/** A node:http server that responds to every request with the fixed status, headers and body of BODY. */
const BARE = `
import { createServer } from "node:http";
const reply = JSON.parse(process.env.REPLY);
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    response.end(reply.body);
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write("http://127.0.0.1:" + server.address().port + "\\n"));
${MEMORY_REPLY}
`;

interface Row {
  readonly server: string;
  readonly request: string;
  readonly figures: LoadFigures;
  /** The server process's CPU time per request, in microseconds; it shows the server's own cost when autocannon, on the same cores, is the bottleneck. */
  readonly serverCpuMicrosecondsPerRequest?: number;
}

async function measure(server: string, request: string, url: string, load: LoadRequest, pid: number | undefined): Promise<Row> {
  await runLoad(url, load, { connections: CONNECTIONS, seconds: WARMUP_SECONDS });
  const cpuBefore = cpuSeconds(pid);
  const figures = figuresOf(await runLoad(url, load, { connections: CONNECTIONS, seconds: SECONDS }));
  const cpuAfter = cpuSeconds(pid);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : Math.round(((cpuAfter - cpuBefore) / figures.total) * 1e6 * 10) / 10;
  console.log(
    `${server.padEnd(28)} ${request.padEnd(28)} ${String(figures.requestsPerSecond).padStart(7)} req/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  server CPU ${cpu ?? "?"} µs/req  ${JSON.stringify(figures.statuses)}  errors ${figures.errors}`,
  );
  return { server, request, figures, ...(cpu === undefined ? {} : { serverCpuMicrosecondsPerRequest: cpu }) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Installs cognito-local into the scratch folder unless it is there already. */
function installCognitoLocal(): string {
  const bin = path.join(PEERS, "node_modules", "cognito-local", "lib", "bin", "start.js");
  if (!existsSync(bin)) {
    console.log(`installing ${COGNITO_LOCAL} into ${PEERS}`);
    mkdirSync(PEERS, { recursive: true });
    execFileSync("npm", ["install", "--prefix", PEERS, "--no-save", "--no-audit", "--no-fund", COGNITO_LOCAL], { stdio: "inherit" });
  }
  return bin;
}

/** Starts cognito-local on a free loopback port with a data folder of its own, and waits until it responds. */
async function startCognitoLocal(bin: string): Promise<{ url: string; child: ChildProcess; folder: string }> {
  const port = await freePort();
  const folder = mkdtempSync(path.join(os.tmpdir(), "shapegen-cognito-local-"));
  mkdirSync(path.join(folder, ".cognito"));
  writeFileSync(path.join(folder, ".cognito", "config.json"), JSON.stringify({ ServerConfig: { hostname: "127.0.0.1", port }, UserPoolDefaults: { UsernameAttributes: [] } }));
  // Its per-request log lines go to /dev/null, so the terminal does not slow it down.
  const child = spawn(process.execPath, [bin], { cwd: folder, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const up = await fetch(url, { method: "POST" }).then(
      () => true,
      () => false,
    );
    if (up) return { url, child, folder };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopChild(child);
  throw new Error(`cognito-local did not respond on ${url} within 10 s; check its output above`);
}

/** Creates the pool, a client and a confirmed user with a verified email through the official SDK. */
async function setUpCognitoLocal(url: string): Promise<{ clientId: string }> {
  const sdk = new CognitoIdentityProviderClient({ endpoint: url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: "bench" }));
    const poolId = pool.UserPool!.Id!;
    const client = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web", PreventUserExistenceErrors: "ENABLED" }));
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "bench-user",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "bench-user@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "bench-user", Password: "Bench-Passw0rd!", Permanent: true }));
    return { clientId: client.UserPoolClient!.ClientId! };
  } finally {
    sdk.destroy();
  }
}

async function main(): Promise<void> {
  console.log("building the generated package with tsc");
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(ROOT, "generated", "cognito-identity-provider")], { stdio: "inherit" });
  console.log(`load average before the runs: ${os.loadavg().map((load) => load.toFixed(2)).join(", ")} on ${os.cpus().length} cores`);
  const rows: Row[] = [];
  const unknown: LoadRequest = { target: TARGET, body: JSON.stringify({ ClientId: CLIENT_ID, Username: UNKNOWN_USER }) };

  const shapegen = await startChildModule(SHAPEGEN);
  const sample = await fetch(shapegen.url, { method: "POST", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET }, body: unknown.body });
  const reply = { status: sample.status, headers: { "content-type": sample.headers.get("content-type")!, "x-amzn-requestid": sample.headers.get("x-amzn-requestid")! }, body: await sample.text() };
  if (reply.status !== 200) throw new Error(`shapegen's mock responded to the benchmark request with ${reply.status}: ${reply.body}`);
  rows.push(await measure("shapegen mock (memory)", "unknown user, prevention on", shapegen.url, unknown, shapegen.child.pid));
  const shapegenMemory = await shapegen.memory();
  await shapegen.stop();

  const storeFolder = mkdtempSync(path.join(os.tmpdir(), "shapegen-bench-store-"));
  const stored = await startChildModule(SHAPEGEN, { STORE_FILE: path.join(storeFolder, "state.db") });
  rows.push(await measure("shapegen mock (SQLite store)", "unknown user, prevention on", stored.url, unknown, stored.child.pid));
  await stored.stop();
  rmSync(storeFolder, { recursive: true, force: true });

  const bare = await startChildModule(BARE, { REPLY: JSON.stringify(reply) });
  rows.push(await measure("bare node:http", "fixed response body", bare.url, unknown, bare.child.pid));
  await bare.stop();

  const local = await startCognitoLocal(installCognitoLocal());
  try {
    const { clientId } = await setUpCognitoLocal(local.url);
    rows.push(await measure("cognito-local 5.3.0", "unknown user (400)", local.url, { target: TARGET, body: JSON.stringify({ ClientId: clientId, Username: UNKNOWN_USER }) }, local.child.pid));
    rows.push(await measure("cognito-local 5.3.0", "known user (200, delivers)", local.url, { target: TARGET, body: JSON.stringify({ ClientId: clientId, Username: "bench-user" }) }, local.child.pid));
  } finally {
    await stopChild(local.child);
    rmSync(local.folder, { recursive: true, force: true });
  }

  const rate = (server: string, request?: string) => rows.find((row) => row.server === server && (request === undefined || row.request === request))!.figures.requestsPerSecond;
  const mock = rate("shapegen mock (memory)");
  const ratios = {
    toBareCeiling: round(mock / rate("bare node:http")),
    toCognitoLocalUnknownUser: round(mock / rate("cognito-local 5.3.0", "unknown user (400)")),
    toCognitoLocalKnownUser: round(mock / rate("cognito-local 5.3.0", "known user (200, delivers)")),
  };
  console.log(`\nshapegen mock / bare node:http: ${ratios.toBareCeiling} (goal at least 0.5)`);
  console.log(`shapegen mock / cognito-local: ${ratios.toCognitoLocalUnknownUser} for the same unknown-user request, ${ratios.toCognitoLocalKnownUser} against its 200 path (goal about 20)`);
  console.log(`shapegen mock p99: ${rows[0]!.figures.p99Ms} ms (goal under 5 ms); heap after GC at the end: ${(shapegenMemory.heapUsed / 2 ** 20).toFixed(1)} MiB`);
  console.log(`load average after the runs: ${os.loadavg().map((load) => load.toFixed(2)).join(", ")}`);

  writeResults("mock-server", {
    settings: { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, loadAverage: os.loadavg() },
    rows,
    ratios,
  });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
