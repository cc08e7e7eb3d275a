import { request as httpRequest } from "node:http";
import { CognitoIdentityProviderClient, ForgotPasswordCommand, AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { startMockServer, type MockServer } from "cognito-identity-provider/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TARGET = "AWSCognitoIdentityProviderService.ForgotPassword";
const JSON_TYPE = "application/x-amz-json-1.1";
const CLIENT_ID = "26lbdlrtbdqcm2vra5k8e3ugq5";

interface BadRequest {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Expected error name and status; the message is checked when given. */
  readonly error: string;
  readonly status?: number;
  readonly message?: string | RegExp;
}

const api = (body: string, target = TARGET, contentType = JSON_TYPE) => ({ headers: { "content-type": contentType, "x-amz-target": target }, body });
const deep = (levels: number) => `{"ClientMetadata":${"[".repeat(levels)}${"]".repeat(levels)}}`;

const CASES: BadRequest[] = [
  { name: "broken JSON", ...api('{"ClientId": '), error: "SerializationException", message: "The request body is not valid JSON" },
  { name: "trailing garbage", ...api('{"ClientId":"a"} x'), error: "SerializationException", message: "The request body is not valid JSON" },
  { name: "single quotes", ...api("{'ClientId':'a'}"), error: "SerializationException" },
  { name: "JSON array body", ...api("[]"), error: "SerializationException", message: "The request body must be a JSON object" },
  { name: "JSON string body", ...api('"hello"'), error: "SerializationException", message: "The request body must be a JSON object" },
  { name: "JSON null body", ...api("null"), error: "SerializationException", message: "The request body must be a JSON object" },
  { name: "JSON number body", ...api("42"), error: "SerializationException" },
  { name: "number for a string", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: 42 })), error: "SerializationException", message: "expected a string, got a number at 'Username'" },
  { name: "object for a string", ...api(JSON.stringify({ ClientId: {}, Username: "a" })), error: "SerializationException" },
  { name: "string for a map", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: "a", ClientMetadata: "x" })), error: "SerializationException" },
  { name: "number in a map", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: "a", ClientMetadata: { k: 1 } })), error: "SerializationException" },
  { name: "array for a structure", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: "a", AnalyticsMetadata: [] })), error: "SerializationException" },
  { name: "missing required members", ...api("{}"), error: "InvalidParameterException", message: /^2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null/ },
  { name: "empty body", ...api(""), error: "InvalidParameterException", message: /Value null at 'clientId'/ },
  { name: "over-long username", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: "x".repeat(129) })), error: "InvalidParameterException", message: /Member must have length less than or equal to 128/ },
  { name: "pattern violation", ...api(JSON.stringify({ ClientId: "bad client", Username: "a" })), error: "InvalidParameterException", message: /Member must satisfy regular expression pattern/ },
  { name: "boolean for an integer", ...api(JSON.stringify({ PoolName: "p", Policies: { PasswordPolicy: { MinimumLength: true } } }), "AWSCognitoIdentityProviderService.CreateUserPool"), error: "SerializationException" },
  { name: "integer out of range", ...api(JSON.stringify({ PoolName: "p", Policies: { PasswordPolicy: { MinimumLength: 1000 } } }), "AWSCognitoIdentityProviderService.CreateUserPool"), error: "InvalidParameterException", message: /Member must have value less than or equal to 99/ },
  { name: "unknown enum value", ...api(JSON.stringify({ ClientId: CLIENT_ID, AuthFlow: "MAGIC" }), "AWSCognitoIdentityProviderService.InitiateAuth"), error: "InvalidParameterException", message: /authFlow/ },
  { name: "body over the size limit", ...api(JSON.stringify({ ClientId: CLIENT_ID, Username: "a", ClientMetadata: { k: "v".repeat(1_100_000) } })), error: "SerializationException", message: "The request body is larger than 1048576 bytes" },
  { name: "body nested too deep", ...api(deep(100)), error: "SerializationException", message: "The request body is nested more than 64 levels deep" },
  { name: "brackets inside strings are not nesting", ...api(JSON.stringify({ ClientId: "[".repeat(200), Username: "a" })), error: "InvalidParameterException" },
  { name: "unknown target", ...api("{}", "AWSCognitoIdentityProviderService.NoSuchThing"), error: "UnknownOperationException" },
  { name: "target of another service", ...api("{}", "DynamoDB_20120810.ListTables"), error: "UnknownOperationException" },
  { name: "target without an operation", ...api("{}", "AWSCognitoIdentityProviderService."), error: "UnknownOperationException" },
  { name: "prototype name as target", ...api("{}", "AWSCognitoIdentityProviderService.__proto__"), error: "UnknownOperationException" },
  { name: "inherited name as target", ...api("{}", "AWSCognitoIdentityProviderService.toString"), error: "UnknownOperationException" },
  {
    name: "missing X-Amz-Target",
    headers: { "content-type": JSON_TYPE },
    body: "{}",
    error: "UnknownOperationException",
    message: /^Missing X-Amz-Target header; send 'AWSCognitoIdentityProviderService\.<Operation>'/,
  },
  { name: "unknown target named", ...api("{}", "AWSCognitoIdentityProviderService.NoSuchThing"), error: "UnknownOperationException", message: "Unknown operation 'AWSCognitoIdentityProviderService.NoSuchThing'" },
  { name: "missing Content-Type", headers: { "x-amz-target": TARGET }, body: "{}", error: "SerializationException" },
  { name: "wrong Content-Type", ...api("{}", TARGET, "text/plain"), error: "SerializationException", message: "Expected Content-Type application/x-amz-json-1.1, got 'text/plain'" },
  { name: "awsJson1_0 Content-Type", ...api("{}", TARGET, "application/x-amz-json-1.0"), error: "SerializationException" },
  { name: "GET on the API path", method: "GET", path: "/", error: "UnknownOperationException" },
  { name: "PUT on the API path", method: "PUT", ...api("{}"), error: "UnknownOperationException" },
  { name: "POST to another path", path: "/other", ...api("{}"), error: "UnknownOperationException" },
  { name: "__proto__ member", ...api('{"__proto__": {"polluted": true}, "ClientId": "26lbdlrtbdqcm2vra5k8e3ugq5"}'), error: "InvalidParameterException", message: /Value null at 'username'/ },
  { name: "__proto__ map key", ...api('{"ClientId":"nosuchclient1234567890abcd","Username":"a","ClientMetadata":{"__proto__":"x","constructor":"y"}}'), error: "ResourceNotFoundException", message: "User pool client nosuchclient1234567890abcd does not exist." },
  { name: "unknown client", ...api(JSON.stringify({ ClientId: "nosuchclient1234567890abcd", Username: "a" })), error: "ResourceNotFoundException" },
  { name: "unknown pool in an admin call", ...api(JSON.stringify({ UserPoolId: "us-east-1_nothing", Username: "a" }), "AWSCognitoIdentityProviderService.AdminGetUser"), error: "ResourceNotFoundException", message: "User pool us-east-1_nothing does not exist." },
];

function send(server: MockServer, entry: BadRequest): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(entry.path ?? "/", server.url);
    const req = httpRequest(url, { method: entry.method ?? "POST", headers: entry.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    // A body the server refuses early may close the socket while the client still writes.
    req.on("error", reject);
    req.end(entry.body);
  });
}

describe("mock server against bad requests", () => {
  let server: MockServer;
  let sdk: CognitoIdentityProviderClient;

  beforeAll(async () => {
    server = await startMockServer({
      seed: {
        userPools: [
          {
            Id: "us-east-1_badreqs",
            PoolName: "bad requests",
            clients: [{ ClientId: CLIENT_ID, ClientName: "web" }],
            users: [{ Username: "alice", Password: "Passw0rd!", Attributes: { email: "alice@example.com", email_verified: "true" } }],
          },
        ],
      },
    });
    sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  afterAll(async () => {
    sdk.destroy();
    await server.close();
  });

  it("has a table of at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)("$name", async (entry) => {
    const response = await send(server, entry);
    const body = JSON.parse(response.body) as { __type: string; message: string };

    expect(response.status).toBe(entry.status ?? 400);
    expect(body.__type).toBe(entry.error);
    expect(response.headers["x-amzn-errortype"]).toBe(`${entry.error}:`);
    expect(response.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers["x-amzn-errormessage"]).toBeDefined();
    if (typeof entry.message === "string") expect(body.message).toBe(entry.message);
    else if (entry.message) expect(body.message).toMatch(entry.message);
  });

  it("keeps serving with its state intact", async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
    expect(sent.CodeDeliveryDetails?.Destination).toBe("a***@e***");
    const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_badreqs", Username: "alice" }));
    expect(user.UserStatus).toBe("CONFIRMED");

    const state = (await (await fetch(`${server.url}/_mock/state`)).json()) as { state: { userPools: { users: unknown[]; clients: unknown[] }[] } };
    expect(state.state.userPools).toHaveLength(1);
    expect(state.state.userPools[0]!.users).toHaveLength(1);
    expect(state.state.userPools[0]!.clients).toHaveLength(1);
  });
});

describe("mock admin routes", () => {
  it("reset empties the store, the outbox and the clock", async () => {
    const server = await startMockServer({ seed: { userPools: [{ PoolName: "p", clients: [{ ClientId: CLIENT_ID, ClientName: "c" }], users: [{ Username: "bob", Password: "Passw0rd!", Attributes: { email: "bob@example.com", email_verified: "true" } }] }] } });
    try {
      const sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1 });
      await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "bob" }));
      await fetch(`${server.url}/_mock/clock`, { method: "POST", body: JSON.stringify({ now: "2030-01-01T00:00:00Z" }) });
      expect(((await (await fetch(`${server.url}/_mock/clock`)).json()) as { now: string }).now).toMatch(/^2030-01-01T00:00:0/);
      expect(((await (await fetch(`${server.url}/_mock/outbox`)).json()) as { messages: unknown[] }).messages).toHaveLength(1);

      const reset = await fetch(`${server.url}/_mock/reset`, { method: "POST" });
      expect(reset.status).toBe(200);

      expect(((await (await fetch(`${server.url}/_mock/outbox`)).json()) as { messages: unknown[] }).messages).toHaveLength(0);
      expect(((await (await fetch(`${server.url}/_mock/state`)).json()) as { state: { userPools: unknown[] } }).state.userPools).toHaveLength(0);
      expect(((await (await fetch(`${server.url}/_mock/clock`)).json()) as { now: string }).now.slice(0, 4)).toBe(String(new Date().getUTCFullYear()));
      sdk.destroy();
    } finally {
      await server.close();
    }
  });

  it("rejects a bad clock value and a bad seed with the path", async () => {
    const server = await startMockServer();
    try {
      const clock = await fetch(`${server.url}/_mock/clock`, { method: "POST", body: JSON.stringify({ now: "not a date" }) });
      expect(clock.status).toBe(400);
      expect(((await clock.json()) as { message: string }).message).toContain("Invalid 'now'");

      const seed = await fetch(`${server.url}/_mock/seed`, { method: "POST", body: JSON.stringify({ userPools: [{ PoolName: "p", users: [{ Username: "x", UserStatus: "HAPPY" }] }] }) });
      expect(seed.status).toBe(400);
      expect(((await seed.json()) as { message: string }).message).toContain("'userPools[0].users[0].UserStatus'");

      const unknown = await fetch(`${server.url}/_mock/nothing`);
      expect(unknown.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("rejects a malformed seed at start-up", async () => {
    await expect(startMockServer({ seed: { userPools: [{ clients: [] }] } })).rejects.toThrow("invalid seed: 'userPools[0].PoolName' must be a non-empty string");
  });

  it("round-trips a state dump as a seed", async () => {
    const first = await startMockServer({ seed: { userPools: [{ Id: "us-east-1_dump", PoolName: "p", clients: [{ ClientId: CLIENT_ID, ClientName: "c", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }], users: [{ Username: "carol", Password: "Passw0rd!" }] }] } });
    const dump = ((await (await fetch(`${first.url}/_mock/state`)).json()) as { state: unknown }).state;
    await first.close();
    expect(JSON.stringify(dump)).not.toContain("Passw0rd!");

    const second = await startMockServer({ seed: dump });
    const sdk = new CognitoIdentityProviderClient({ endpoint: second.url, region: "us-east-1", maxAttempts: 1 });
    try {
      const { InitiateAuthCommand } = await import("@aws-sdk/client-cognito-identity-provider");
      const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: CLIENT_ID, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "carol", PASSWORD: "Passw0rd!" } }));
      expect(signedIn.AuthenticationResult?.IdToken).toMatch(/^ey/);
    } finally {
      sdk.destroy();
      await second.close();
    }
  });
});

describe("mock scenarios", () => {
  it("answer from scenarios.yaml when behaviour is off", async () => {
    const server = await startMockServer({ behaviors: false });
    const sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      const throttled = await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "throttled-user" })).catch((e: unknown) => e as Error);
      expect((throttled as Error).name).toBe("LimitExceededException");
      expect((throttled as Error).message).toBe("Attempt limit exceeded, please try after some time.");

      const started = performance.now();
      const slow = await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "slow-user" }));
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(slow.CodeDeliveryDetails).toEqual({ Destination: "+*******0123", DeliveryMedium: "SMS", AttributeName: "phone_number" });

      const profile = await sdk.send(new AdminGetUserCommand({ UserPoolId: "us-east-1_any", Username: "disabled-user" }));
      expect(profile.Enabled).toBe(false);

      const sample = await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "anyone-else" }));
      expect(sample.CodeDeliveryDetails?.DeliveryMedium).toBe("SMS");
    } finally {
      sdk.destroy();
      await server.close();
    }
  });

  it("given as an option come before the model's", async () => {
    const server = await startMockServer({
      behaviors: false,
      scenarios: [{ name: "override", operation: "ForgotPassword", match: { Username: "throttled-user" }, error: { name: "UserNotFoundException", message: "Username/client id combination not found." } }],
    });
    const sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1 });
    try {
      const error = (await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "throttled-user" })).catch((e: unknown) => e)) as Error;
      expect(error.name).toBe("UserNotFoundException");
    } finally {
      sdk.destroy();
      await server.close();
    }
  });
});
