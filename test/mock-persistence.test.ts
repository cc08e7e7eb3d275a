import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import Database from "better-sqlite3";
import { startMockServer, type MockServer, type OutboxMessage } from "cognito-identity-provider/mock-server";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const POOL_ID = "us-east-1_stored";
const CLIENT_ID = "storedclient1234567890abcd";
const PASSWORD = "Passw0rd!";

const SEED = {
  userPools: [
    {
      Id: POOL_ID,
      PoolName: "stored",
      clients: [{ ClientId: CLIENT_ID, ClientName: "web", ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }],
      users: [
        { Username: "alice", Password: PASSWORD, Attributes: { email: "alice@example.com", email_verified: "true" } },
        { Username: "busy", Password: PASSWORD, Attributes: { email: "busy@example.com", email_verified: "true" } },
      ],
    },
  ],
};

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), "shapegen-store-"));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function sdkFor(server: { url: string }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
}

async function outbox(server: MockServer): Promise<OutboxMessage[]> {
  return ((await (await fetch(`${server.url}/_mock/outbox`)).json()) as { messages: OutboxMessage[] }).messages;
}

async function errorName(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error as Error).name,
  );
}

describe("mock server with a state file", () => {
  it("keeps users, codes, attempts, outbox and signing key across a restart", async () => {
    const file = path.join(folder, "restart.db");
    const first = await startMockServer({ store: file, seed: SEED });
    const sdk = sdkFor(first);
    let idToken: string;
    try {
      await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
      for (let i = 0; i < 5; i++) await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "busy" }));
      await sdk.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: "carol", MessageAction: "SUPPRESS", TemporaryPassword: "Temp-Passw0rd!" }));
      const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: CLIENT_ID, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD } }));
      idToken = signedIn.AuthenticationResult!.IdToken!;
    } finally {
      sdk.destroy();
      await first.close();
    }

    const second = await startMockServer({ store: file, seed: SEED });
    const again = sdkFor(second);
    try {
      const messages = await outbox(second);
      expect(messages).toHaveLength(6);
      expect(messages[0]!.destination).toBe("a***@e***");

      const carol = await again.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: "carol" }));
      expect(carol.UserStatus).toBe("FORCE_CHANGE_PASSWORD");

      expect(await errorName(again.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "busy" })))).toBe("LimitExceededException");

      const jwks = (await (await fetch(`${second.url}/${POOL_ID}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
      const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { audience: CLIENT_ID });
      expect(payload["cognito:username"]).toBe("alice");

      await again.send(new ConfirmForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice", ConfirmationCode: messages[0]!.code!, Password: "New-Passw0rd!" }));
      const signedIn = await again.send(new InitiateAuthCommand({ ClientId: CLIENT_ID, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "alice", PASSWORD: "New-Passw0rd!" } }));
      expect(signedIn.AuthenticationResult?.IdToken).toMatch(/^ey/);
    } finally {
      again.destroy();
      await second.close();
    }
  });

  it("applies the seed only to an empty file", async () => {
    const file = path.join(folder, "seed-once.db");
    const first = await startMockServer({ store: file, seed: SEED });
    const sdk = sdkFor(first);
    try {
      await sdk.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: "dave", MessageAction: "SUPPRESS" }));
    } finally {
      sdk.destroy();
      await first.close();
    }

    // Seeding the pool again would fail, since its Id exists.
    const second = await startMockServer({ store: file, seed: SEED });
    try {
      const state = (await (await fetch(`${second.url}/_mock/state`)).json()) as { state: { userPools: { users: { Username: string }[] }[] } };
      expect(state.state.userPools).toHaveLength(1);
      expect(state.state.userPools[0]!.users.map((user) => user.Username)).toEqual(["alice", "busy", "dave"]);
    } finally {
      await second.close();
    }
  });

  it("writes nothing of a seed that fails", async () => {
    const file = path.join(folder, "bad-seed.db");
    const bad = { userPools: [{ Id: POOL_ID, PoolName: "half", users: [{ Username: "x", UserStatus: "HAPPY" }] }] };
    await expect(startMockServer({ store: file, seed: bad })).rejects.toThrow("'userPools[0].users[0].UserStatus'");

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM records").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const server = await startMockServer({ store: file, seed: SEED });
    try {
      const state = (await (await fetch(`${server.url}/_mock/state`)).json()) as { state: { userPools: { PoolName: string }[] } };
      expect(state.state.userPools.map((pool) => pool.PoolName)).toEqual(["stored"]);
    } finally {
      await server.close();
    }
  });

  it("keeps only the latest outbox messages", async () => {
    const file = path.join(folder, "outbox-cap.db");
    const first = await startMockServer({ store: file, seed: SEED, maxOutboxMessages: 3 });
    const sdk = sdkFor(first);
    try {
      for (let i = 0; i < 5; i++) await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
      expect((await outbox(first)).map((message) => message.id)).toEqual([3, 4, 5]);
    } finally {
      sdk.destroy();
      await first.close();
    }

    const second = await startMockServer({ store: file, maxOutboxMessages: 2 });
    try {
      expect((await outbox(second)).map((message) => message.id)).toEqual([4, 5]);
    } finally {
      await second.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT id FROM records WHERE kind = 'outbox' ORDER BY rowid").all()).toEqual([{ id: "4" }, { id: "5" }]);
    } finally {
      db.close();
    }
  });

  it("reset empties the file", async () => {
    const file = path.join(folder, "reset.db");
    const server = await startMockServer({ store: file, seed: SEED });
    const sdk = sdkFor(server);
    try {
      await sdk.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
      expect((await fetch(`${server.url}/_mock/reset`, { method: "POST" })).status).toBe(200);
    } finally {
      sdk.destroy();
      await server.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM records").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("rejects another service's file", async () => {
    const file = path.join(folder, "other.db");
    const db = new Database(file);
    db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('service', 'DynamoDB_20120810')");
    db.close();

    await expect(startMockServer({ store: file })).rejects.toThrow(`the state file '${file}' belongs to the mock of DynamoDB_20120810, not AWSCognitoIdentityProviderService`);
  });

  it("rejects a file of a newer layout", async () => {
    const file = path.join(folder, "newer.db");
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();

    await expect(startMockServer({ store: file })).rejects.toThrow("has layout version 99, but this mock reads version 1");
  });
});

/** Runs the mock with a state file in a child process, so the test can kill it with SIGKILL. */
const CHILD = `
import { startMockServer } from "cognito-identity-provider/mock-server";
const server = await startMockServer({ store: process.env.STORE_FILE, seed: JSON.parse(process.env.SEED) });
process.stdout.write(server.url + "\\n");
`;

function startChild(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD], { env: { ...process.env, STORE_FILE: file, SEED: JSON.stringify(SEED) }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the mock child process exited with code ${code} before it listened`)));
    child.stdout!.once("data", (chunk: Buffer) => resolve({ child, url: chunk.toString("utf8").trim() }));
  });
}

interface StoredUser {
  username: string;
  sub: string;
  poolId: string;
  status: string;
  enabled: boolean;
  attributes: [string, string][];
  attempts: number[];
  resetCode?: { hash: string; expiresAt: string };
}

describe("state file after a crash", () => {
  it("is intact and holds every acknowledged write", async () => {
    const file = path.join(folder, "crash.db");
    const { child, url } = await startChild(file);
    const sdk = sdkFor({ url });
    const acknowledged: string[] = [];
    let killed = false;

    // Each request creates one user with three attributes, one transaction per user.
    const createAndReset = async (i: number) => {
      const username = `burst-${i}`;
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: POOL_ID,
          Username: username,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: `${username}@example.com` },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: `User ${i}` },
          ],
        }),
      );
      acknowledged.push(username);
    };
    const burst: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      burst.push(
        createAndReset(i).catch((error: unknown) => {
          if (!killed) throw error;
        }),
      );
      if (i === 150) {
        // Kill once some writes are acknowledged and many are still in flight.
        while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
        killed = true;
        child.kill("SIGKILL");
      }
    }
    await Promise.all(burst);
    sdk.destroy();
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once("exit", resolve)));
    expect(child.signalCode).toBe("SIGKILL");

    const db = new Database(file);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const rows = db.prepare("SELECT id, data FROM records WHERE kind = 'user'").all() as { id: string; data: string }[];
      const users = new Map(rows.map((row) => [row.id, JSON.parse(row.data) as StoredUser]));
      for (const username of acknowledged) expect(users.has(`${POOL_ID}/${username}`), `acknowledged user ${username} is missing`).toBe(true);
      for (const [id, user] of users) {
        expect(id).toBe(`${user.poolId}/${user.username}`);
        expect(user.sub).toMatch(/^[0-9a-f-]{36}$/);
        expect(Array.isArray(user.attempts)).toBe(true);
        if (!user.username.startsWith("burst-")) continue;
        const attributes = Object.fromEntries(user.attributes);
        expect(attributes).toMatchObject({ email: `${user.username}@example.com`, email_verified: "true", name: `User ${user.username.slice(6)}` });
        expect(user.status).toBe("FORCE_CHANGE_PASSWORD");
      }
      expect(users.size).toBeLessThan(400 + 2);
    } finally {
      db.close();
    }

    const restarted = await startMockServer({ store: file });
    const again = sdkFor(restarted);
    try {
      const user = await again.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: acknowledged[0]! }));
      expect(user.UserAttributes?.find((a) => a.Name === "name")?.Value).toBe(`User ${acknowledged[0]!.slice(6)}`);
      const sent = await again.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
      expect(sent.CodeDeliveryDetails?.Destination).toBe("a***@e***");
    } finally {
      again.destroy();
      await restarted.close();
    }
  });

  it("keeps a delivered code and its message together", async () => {
    const file = path.join(folder, "crash-codes.db");
    const { child, url } = await startChild(file);
    const sdk = sdkFor({ url });
    let delivered = 0;
    let killed = false;

    const burst: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const username = i % 2 === 0 ? "alice" : "busy";
      burst.push(
        sdk
          .send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: username }))
          .then(() => void delivered++)
          .catch((error: unknown) => {
            if (!killed && (error as Error).name !== "LimitExceededException") throw error;
          }),
      );
      if (i === 20) {
        while (delivered < 4) await new Promise((resolve) => setTimeout(resolve, 5));
        killed = true;
        child.kill("SIGKILL");
      }
    }
    await Promise.all(burst);
    sdk.destroy();

    const db = new Database(file);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const messages = (db.prepare("SELECT data FROM records WHERE kind = 'outbox'").all() as { data: string }[]).map((row) => JSON.parse(row.data) as OutboxMessage);
      expect(messages.length).toBeGreaterThanOrEqual(delivered);
      for (const name of ["alice", "busy"]) {
        const row = db.prepare("SELECT data FROM records WHERE kind = 'user' AND id = ?").get(`${POOL_ID}/${name}`) as { data: string };
        const user = JSON.parse(row.data) as StoredUser;
        const sent = messages.filter((message) => message.details.sub === user.sub);
        // Every stored message has its attempt and its code stored with it, in the same transaction.
        expect(user.attempts.length).toBeGreaterThanOrEqual(sent.length);
        if (sent.length > 0) expect(user.resetCode?.hash).toMatch(/^sha256\$/);
      }
    } finally {
      db.close();
    }
  });
});
