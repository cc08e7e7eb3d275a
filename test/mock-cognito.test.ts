import { createHmac } from "node:crypto";
import { Writable } from "node:stream";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type AccountRecoverySettingType,
} from "@aws-sdk/client-cognito-identity-provider";
import { startMockServer, type MockServer, type OutboxMessage } from "cognito-identity-provider/mock-server";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PASSWORD = "Old-Passw0rd!";
const NEW_PASSWORD = "New-Passw0rd!";

let server: MockServer;
let sdk: CognitoIdentityProviderClient;
const logText: string[] = [];
/** Every value a test sends that must never reach the log. */
const secrets = new Set<string>([PASSWORD, NEW_PASSWORD]);

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText.push(chunk.toString("utf8"));
      done();
    },
  });
  server = await startMockServer({ logger: pino({ level: "info" }, stream) });
  sdk = new CognitoIdentityProviderClient({
    endpoint: server.url,
    region: "us-east-1",
    maxAttempts: 1,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
});

afterAll(async () => {
  sdk.destroy();
  await server.close();
});

interface Setup {
  poolId: string;
  clientId: string;
  clientSecret?: string;
}

/** Creates a pool and an app client with the SDK's own calls. */
async function createPool(options: { secret?: boolean; prevent?: boolean; recovery?: AccountRecoverySettingType } = {}): Promise<Setup> {
  const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: "test", AccountRecoverySetting: options.recovery }));
  const poolId = pool.UserPool!.Id!;
  const client = await sdk.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "web",
      GenerateSecret: options.secret ?? false,
      PreventUserExistenceErrors: options.prevent ? "ENABLED" : "LEGACY",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const clientSecret = client.UserPoolClient!.ClientSecret;
  if (clientSecret !== undefined) secrets.add(clientSecret);
  return { poolId, clientId: client.UserPoolClient!.ClientId!, clientSecret };
}

/** Creates a confirmed user with a permanent password and the given attributes. */
async function createUser(setup: Setup, username: string, attributes: Record<string, string>, options: { permanent?: boolean } = {}): Promise<void> {
  secrets.add(username);
  for (const value of Object.values(attributes)) if (value.includes("@") || value.startsWith("+")) secrets.add(value);
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: setup.poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (options.permanent !== false) await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: setup.poolId, Username: username, Password: PASSWORD, Permanent: true }));
}

async function outbox(): Promise<OutboxMessage[]> {
  const response = await fetch(`${server.url}/_mock/outbox`);
  const messages = ((await response.json()) as { messages: OutboxMessage[] }).messages;
  for (const message of messages) if (message.code !== undefined) secrets.add(message.code);
  return messages;
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(error, "the call should have failed").toBeDefined();
  return { name: error!.name, message: error!.message, status: error!.$metadata?.httpStatusCode };
}

/** SECRET_HASH as AWS documents it, computed here independently of the mock. */
function computeSecretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac("sha256", clientSecret).update(username + clientId, "utf8").digest("base64");
}

function secretHash(setup: Setup, username: string): string {
  const hash = computeSecretHash(username, setup.clientId, setup.clientSecret!);
  secrets.add(hash);
  return hash;
}

describe("password reset with the official SDK", () => {
  it("resets the password and signs in with the new one", async () => {
    const setup = await createPool();
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: setup.poolId, Username: "reset-alice", MessageAction: "SUPPRESS", UserAttributes: [{ Name: "email", Value: "alice@example.com" }] }));
    secrets.add("reset-alice").add("alice@example.com");
    await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: setup.poolId, Username: "reset-alice", Password: PASSWORD, Permanent: true }));
    await sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: setup.poolId, Username: "reset-alice", UserAttributes: [{ Name: "email_verified", Value: "true" }] }));
    const before = (await outbox()).length;

    const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "reset-alice" }));
    expect(sent.CodeDeliveryDetails).toEqual({ Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    expect(JSON.stringify(sent)).not.toMatch(/\b\d{6}\b/);

    const messages = (await outbox()).slice(before);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.destination).toBe("a***@e***");
    expect(messages[0]!.code).toMatch(/^\d{6}$/);
    expect(messages[0]!.body).toContain(messages[0]!.code);

    await sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "reset-alice", ConfirmationCode: messages[0]!.code!, Password: NEW_PASSWORD }));

    const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: setup.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "reset-alice", PASSWORD: NEW_PASSWORD } }));
    const idToken = signedIn.AuthenticationResult!.IdToken!;
    expect(signedIn.AuthenticationResult!.TokenType).toBe("Bearer");
    expect(signedIn.AuthenticationResult!.ExpiresIn).toBe(3600);

    const issuer = `${server.url}/${setup.poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, { issuer, audience: setup.clientId });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.token_use).toBe("id");
    expect(payload["cognito:username"]).toBe("reset-alice");
    expect(payload.email).toBe("alice@example.com");
    expect(payload.email_verified).toBe(true);
    const access = await jwtVerify(signedIn.AuthenticationResult!.AccessToken!, jwks, { issuer });
    expect(access.payload.client_id).toBe(setup.clientId);

    const old = await failure(sdk.send(new InitiateAuthCommand({ ClientId: setup.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "reset-alice", PASSWORD: PASSWORD } })));
    expect(old).toEqual({ name: "NotAuthorizedException", message: "Incorrect username or password.", status: 400 });

    const reused = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "reset-alice", ConfirmationCode: messages[0]!.code!, Password: "Another-Passw0rd!" })));
    expect(reused.name).toBe("ExpiredCodeException");
  });

  it("reports a phone destination masked but the last four digits", async () => {
    const setup = await createPool();
    await createUser(setup, "phone-user", { phone_number: "+15555550123", phone_number_verified: "true", email: "p@example.com", email_verified: "true" });

    const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "phone-user" }));

    expect(sent.CodeDeliveryDetails).toEqual({ Destination: "+*******0123", DeliveryMedium: "SMS", AttributeName: "phone_number" });
  });

  it("follows the AccountRecoverySetting priority", async () => {
    const recovery = { RecoveryMechanisms: [{ Priority: 1, Name: "verified_email" as const }, { Priority: 2, Name: "verified_phone_number" as const }] };
    const setup = await createPool({ recovery });
    await createUser(setup, "priority-user", { phone_number: "+15555550199", phone_number_verified: "true", email: "bob@mail.example", email_verified: "true" });

    const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "priority-user" }));

    expect(sent.CodeDeliveryDetails).toEqual({ Destination: "b***@m***", DeliveryMedium: "EMAIL", AttributeName: "email" });
  });

  it("replaces the previous code with a new one", async () => {
    const setup = await createPool();
    await createUser(setup, "twice-user", { email: "twice@example.com", email_verified: "true" });
    await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "twice-user" }));
    const first = (await outbox()).at(-1)!.code!;
    await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "twice-user" }));
    const second = (await outbox()).at(-1)!.code!;

    if (first !== second) {
      const stale = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "twice-user", ConfirmationCode: first, Password: NEW_PASSWORD })));
      expect(stale.name).toBe("CodeMismatchException");
    }
    await sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "twice-user", ConfirmationCode: second, Password: NEW_PASSWORD }));
  });

  it("shows the admin changes in AdminGetUser", async () => {
    const setup = await createPool();
    await createUser(setup, "status-user", { email: "s@example.com" }, { permanent: false });
    const created = await sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: "status-user" }));
    expect(created.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(created.Enabled).toBe(true);

    await sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: "status-user" }));
    const disabled = await sdk.send(new AdminGetUserCommand({ UserPoolId: setup.poolId, Username: "status-user" }));
    expect(disabled.Enabled).toBe(false);
    expect(disabled.UserAttributes?.find((a) => a.Name === "sub")?.Value).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("DESIGN error table, row by row", () => {
  it("unknown app client", async () => {
    const error = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: "nosuchclient1234567890abcd", Username: "anyone" })));
    expect(error).toEqual({ name: "ResourceNotFoundException", message: "User pool client nosuchclient1234567890abcd does not exist.", status: 400 });
  });

  it("secret hash missing or wrong", async () => {
    const setup = await createPool({ secret: true });
    await createUser(setup, "hash-user", { email: "h@example.com", email_verified: "true" });

    const missing = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "hash-user" })));
    expect(missing).toEqual({ name: "NotAuthorizedException", message: `Unable to verify secret hash for client ${setup.clientId}`, status: 400 });
    const wrong = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "hash-user", SecretHash: secretHash(setup, "other-user") })));
    expect(wrong.message).toBe(`Unable to verify secret hash for client ${setup.clientId}`);

    const right = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "hash-user", SecretHash: secretHash(setup, "hash-user") }));
    expect(right.CodeDeliveryDetails?.Destination).toBe("h***@e***");
  });

  it("secret hash of the worked example", async () => {
    expect(computeSecretHash("username", "EPswPGbpdBLZnh9XW134hK7qYe", "ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b")).toBe("oUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=");

    const seeded = await fetch(`${server.url}/_mock/seed`, {
      method: "POST",
      body: JSON.stringify({
        userPools: [
          {
            PoolName: "worked example",
            clients: [{ ClientId: "EPswPGbpdBLZnh9XW134hK7qYe", ClientName: "example", ClientSecret: "ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b" }],
            users: [{ Username: "username", Password: PASSWORD, Attributes: { email: "user@example.com", email_verified: "true" } }],
          },
        ],
      }),
    });
    expect(seeded.status).toBe(200);
    secrets.add("ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b").add("oUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=").add("user@example.com");

    const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: "EPswPGbpdBLZnh9XW134hK7qYe", Username: "username", SecretHash: "oUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=" }));
    expect(sent.CodeDeliveryDetails?.Destination).toBe("u***@e***");
    const wrong = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: "EPswPGbpdBLZnh9XW134hK7qYe", Username: "username", SecretHash: "pUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=" })));
    expect(wrong).toEqual({ name: "NotAuthorizedException", message: "Unable to verify secret hash for client EPswPGbpdBLZnh9XW134hK7qYe", status: 400 });
  });

  it("hash sent to a client without a secret", async () => {
    const setup = await createPool();
    const error = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "anyone", SecretHash: "c2VjcmV0" })));
    expect(error).toEqual({ name: "InvalidParameterException", message: `Client ${setup.clientId} is not configured for secret but secret hash was received`, status: 400 });
  });

  it("unknown user without prevention", async () => {
    const setup = await createPool();
    const error = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "ghost-user" })));
    expect(error).toEqual({ name: "UserNotFoundException", message: "Username/client id combination not found.", status: 400 });
  });

  it("unknown user with PreventUserExistenceErrors", async () => {
    const setup = await createPool({ prevent: true });
    await createUser(setup, "disabled-prevent", { email: "d@example.com", email_verified: "true" });
    await sdk.send(new AdminDisableUserCommand({ UserPoolId: setup.poolId, Username: "disabled-prevent" }));
    await createUser(setup, "unverified-prevent", { email: "u@example.com" });
    const before = (await outbox()).length;

    for (const username of ["ghost-user", "disabled-prevent", "unverified-prevent"]) {
      const sent = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: username }));
      expect(sent.$metadata.httpStatusCode, username).toBe(200);
      expect(sent.CodeDeliveryDetails?.Destination, username).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
      expect(sent.CodeDeliveryDetails?.DeliveryMedium, username).toBe("EMAIL");
    }
    expect((await outbox()).length).toBe(before);
  });

  it("no verified email or phone", async () => {
    const setup = await createPool();
    await createUser(setup, "unverified-user", { email: "unverified@example.com" });
    const error = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "unverified-user" })));
    expect(error).toEqual({ name: "InvalidParameterException", message: "Cannot reset password for the user as there is no registered/verified email or phone_number", status: 400 });
  });

  it("admin-created user who never signed in", async () => {
    const setup = await createPool();
    await createUser(setup, "new-user", { email: "new@example.com", email_verified: "true" }, { permanent: false });
    const error = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "new-user" })));
    expect(error).toEqual({ name: "NotAuthorizedException", message: "User password cannot be reset in the current state.", status: 400 });
  });

  it("too many attempts across both operations", async () => {
    const setup = await createPool();
    await createUser(setup, "busy-user", { email: "busy@example.com", email_verified: "true" });
    for (let i = 0; i < 3; i++) await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "busy-user" }));
    for (let i = 0; i < 2; i++) {
      const mismatch = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "busy-user", ConfirmationCode: "000000x", Password: NEW_PASSWORD })));
      expect(mismatch.name).toBe("CodeMismatchException");
    }

    const limited = await failure(sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "busy-user" })));
    expect(limited).toEqual({ name: "LimitExceededException", message: "Attempt limit exceeded, please try after some time.", status: 400 });
    const confirmLimited = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "busy-user", ConfirmationCode: "123456", Password: NEW_PASSWORD })));
    expect(confirmLimited.name).toBe("LimitExceededException");

    server.clock.advance(3601);
    try {
      const later = await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "busy-user" }));
      expect(later.$metadata.httpStatusCode).toBe(200);
    } finally {
      server.clock.reset();
    }
  });

  it("wrong confirmation code", async () => {
    const setup = await createPool();
    await createUser(setup, "mismatch-user", { email: "m@example.com", email_verified: "true" });
    await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "mismatch-user" }));
    const code = (await outbox()).at(-1)!.code!;
    const wrong = code === "111111" ? "222222" : "111111";

    const error = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "mismatch-user", ConfirmationCode: wrong, Password: NEW_PASSWORD })));
    expect(error).toEqual({ name: "CodeMismatchException", message: "Invalid verification code provided, please try again.", status: 400 });
  });

  it("expired code after one hour", async () => {
    const setup = await createPool();
    await createUser(setup, "late-user", { email: "late@example.com", email_verified: "true" });
    await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "late-user" }));
    const code = (await outbox()).at(-1)!.code!;

    const moved = await fetch(`${server.url}/_mock/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 3601 }) });
    expect(moved.status).toBe(200);
    try {
      const error = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "late-user", ConfirmationCode: code, Password: NEW_PASSWORD })));
      expect(error).toEqual({ name: "ExpiredCodeException", message: "Invalid code provided, please request a code again.", status: 400 });
    } finally {
      await fetch(`${server.url}/_mock/clock`, { method: "DELETE" });
    }
  });

  it("code never requested", async () => {
    const setup = await createPool();
    await createUser(setup, "never-user", { email: "never@example.com", email_verified: "true" });
    const error = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "never-user", ConfirmationCode: "123456", Password: NEW_PASSWORD })));
    expect(error).toEqual({ name: "ExpiredCodeException", message: "Invalid code provided, please request a code again.", status: 400 });
  });

  it("new password breaking the policy", async () => {
    const setup = await createPool();
    await createUser(setup, "weak-user", { email: "weak@example.com", email_verified: "true" });
    await sdk.send(new ForgotPasswordCommand({ ClientId: setup.clientId, Username: "weak-user" }));
    const code = (await outbox()).at(-1)!.code!;

    const error = await failure(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: setup.clientId, Username: "weak-user", ConfirmationCode: code, Password: "short" })));
    expect(error).toEqual({ name: "InvalidPasswordException", message: "Password does not conform to policy: Password not long enough", status: 400 });
  });

  it("modeled status codes on request", async () => {
    const modeled = await startMockServer({ useModeledStatus: true });
    const client = new CognitoIdentityProviderClient({ endpoint: modeled.url, region: "us-east-1", maxAttempts: 1 });
    try {
      const error = await failure(client.send(new ForgotPasswordCommand({ ClientId: "nosuchclient1234567890abcd", Username: "anyone" })));
      expect(error.name).toBe("ResourceNotFoundException");
      expect(error.status).toBe(404);
    } finally {
      client.destroy();
      await modeled.close();
    }
  });
});

describe("mock logs", () => {
  it("carry one line per request and no secret values", () => {
    const lines = logText.join("").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line.msg === "request");

    expect(lines[0]).toMatchObject({ msg: "mock server listening", url: server.url });
    expect(requests.length).toBeGreaterThan(40);
    expect(requests.some((line) => line.operation === "ConfirmForgotPassword" && line.status === 200)).toBe(true);
    expect(requests.some((line) => line.error === "CodeMismatchException")).toBe(true);
    for (const line of requests) expect(typeof line.requestId).toBe("string");
    const text = logText.join("");
    expect(secrets.size).toBeGreaterThan(20);
    for (const secret of secrets) expect(text, "a secret value reached the log").not.toContain(secret);
  });
});
