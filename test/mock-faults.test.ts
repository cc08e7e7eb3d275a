import { Agent, request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { AdminGetUserCommand, CognitoIdentityProviderClient, ForgotPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startMockServer, type MockServer } from "cognito-identity-provider/mock-server";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TARGET = "AWSCognitoIdentityProviderService";
const POOL_ID = "us-east-1_faults";
const CLIENT_ID = "faultsclient1234567890abcd";
const MAX_BODY = 4096;

let server: MockServer;
let port: number;
let sdk: CognitoIdentityProviderClient;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").trim().split("\n")) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  server = await startMockServer({
    maxBodyBytes: MAX_BODY,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    logger: pino({ level: "info" }, stream),
    seed: {
      userPools: [
        {
          Id: POOL_ID,
          PoolName: "faults",
          clients: [{ ClientId: CLIENT_ID, ClientName: "web", PreventUserExistenceErrors: "ENABLED" }],
          users: [{ Username: "alice", Password: "Passw0rd!", Attributes: { email: "alice@example.com", email_verified: "true" } }],
        },
      ],
    },
  });
  port = Number(new URL(server.url).port);
  sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});

afterAll(async () => {
  sdk.destroy();
  await server.close();
});

function headers(operation: string, extra: Record<string, string | number>): string {
  const lines = [`POST / HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: ${TARGET}.${operation}`];
  for (const [name, value] of Object.entries(extra)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** Opens a raw connection; `received` resolves with everything the server sent once it closes the connection. */
function open(): Promise<{ socket: Socket; received: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const received = new Promise<string>((done) => {
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("close", () => done(Buffer.concat(chunks).toString("utf8")));
      socket.on("error", () => undefined);
    });
    socket.once("connect", () => resolve({ socket, received }));
    socket.once("error", reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks that the server still responds to a full request and that its store contains what the seed put there, plus `extraUsers`. */
async function expectServingWithStateIntact(extraUsers: string[] = []): Promise<void> {
  const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "nobody" }));
  expect(sent.$metadata.httpStatusCode).toBe(200);
  const alice = await sdk.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: "alice" }));
  expect(alice.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe("alice@example.com");

  const state = (await (await fetch(`${server.url}/_mock/state`)).json()) as { state: { userPools: { Id: string; users: { Username: string }[]; clients: unknown[] }[] } };
  expect(state.state.userPools.map((pool) => pool.Id)).toEqual([POOL_ID]);
  expect(state.state.userPools[0]!.clients).toHaveLength(1);
  expect(state.state.userPools[0]!.users.map((user) => user.Username).sort()).toEqual(["alice", ...extraUsers].sort());
}

describe("mock server under faulty clients", () => {
  it("survives a body cut mid-way", async () => {
    const body = JSON.stringify({ UserPoolId: POOL_ID, Username: "cut-user", MessageAction: "SUPPRESS" });
    for (let i = 0; i < 20; i++) {
      const { socket, received } = await open();
      socket.write(headers("AdminCreateUser", { "Content-Length": body.length }) + body.slice(0, body.length / 2));
      await sleep(5);
      socket.destroy();
      expect(await received).toBe("");
    }

    await expectServingWithStateIntact();
    expect(logLines.some((line) => line.msg === "request" && line.status === 499 && line.error === "ClientDisconnected")).toBe(true);
  });

  it("answers 408 to a body trickled past the request timeout", async () => {
    const body = JSON.stringify({ UserPoolId: POOL_ID, Username: "slow-user", MessageAction: "SUPPRESS" });
    const { socket, received } = await open();
    socket.write(headers("AdminCreateUser", { "Content-Length": body.length }));
    let sentBytes = 0;
    // One byte every 40 ms needs far longer than the 600 ms request timeout.
    while (!socket.destroyed && sentBytes < body.length) {
      socket.write(body[sentBytes]!);
      sentBytes++;
      await sleep(40);
    }

    expect(await received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(sentBytes).toBeLessThan(body.length);
    await expectServingWithStateIntact();
  });

  it("answers 408 to headers trickled past the headers timeout", async () => {
    const text = headers("ForgotPassword", { "Content-Length": 2 });
    const { socket, received } = await open();
    let sentBytes = 0;
    while (!socket.destroyed && sentBytes < text.length) {
      socket.write(text[sentBytes]!);
      sentBytes++;
      await sleep(20);
    }

    expect(await received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(sentBytes).toBeLessThan(text.length);
    expect(logLines.some((line) => line.msg === "client error" && line.code === "ERR_HTTP_REQUEST_TIMEOUT")).toBe(true);
  });

  it("completes the write of a client that left before the response", async () => {
    // AdminCreateUser hashes the temporary password with scrypt, so the client is gone before the handler ends.
    const body = JSON.stringify({ UserPoolId: POOL_ID, Username: "gone-user", MessageAction: "SUPPRESS", TemporaryPassword: "Temp-Passw0rd!" });
    const { socket, received } = await open();
    socket.end(headers("AdminCreateUser", { "Content-Length": body.length }) + body);
    socket.destroy();
    expect(await received).toBe("");

    let created = false;
    for (let i = 0; i < 100 && !created; i++) {
      await sleep(20);
      created = await sdk.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: "gone-user" })).then(
        () => true,
        () => false,
      );
    }
    expect(created).toBe(true);
    await expectServingWithStateIntact(["gone-user"]);
  });

  it("rejects a chunked body over the limit and closes the connection", async () => {
    const { socket, received } = await open();
    socket.write(headers("ForgotPassword", { "Transfer-Encoding": "chunked" }));
    const chunk = `{"ClientMetadata":{"k":"${"v".repeat(1000)}`;
    // The client keeps sending after the limit; the server must respond and close rather than read on.
    for (let i = 0; i < 200 && !socket.destroyed; i++) {
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      await sleep(2);
    }
    socket.end();

    const response = await received;
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(response.toLowerCase()).toContain("connection: close");
    expect(response).toContain(`"message":"The request body is larger than ${MAX_BODY} bytes"`);
    await expectServingWithStateIntact(["gone-user"]);
  });

  it("serves many concurrent connections", async () => {
    // Idle connections that never send a request hold sockets open until the headers timeout closes them.
    const idle = await Promise.all(Array.from({ length: 100 }, () => open()));
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const body = JSON.stringify({ ClientId: CLIENT_ID, Username: "nobody" });
    const statuses = await Promise.all(
      Array.from(
        { length: 500 },
        () =>
          new Promise<number>((resolve, reject) => {
            const req = httpRequest(server.url, { method: "POST", agent, headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `${TARGET}.ForgotPassword` } }, (response) => {
              response.resume();
              response.on("end", () => resolve(response.statusCode!));
            });
            req.on("error", reject);
            req.end(body);
          }),
      ),
    );
    agent.destroy();

    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // Each idle connection is closed by the server, which responds with 408 or nothing.
    for (const { received } of idle) expect(await received).toMatch(/^$|^HTTP\/1\.1 408 Request Timeout\r\n/);
    await expectServingWithStateIntact(["gone-user"]);
  });

  it("rejects timeouts that cannot work together", async () => {
    await expect(startMockServer({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).rejects.toThrow("invalid mock server option requestTimeoutMs 1000: it must be at least headersTimeoutMs (5000)");
    await expect(startMockServer({ maxBodyBytes: -1 })).rejects.toThrow("invalid mock server option maxBodyBytes -1: expected a positive integer");
  });
});
