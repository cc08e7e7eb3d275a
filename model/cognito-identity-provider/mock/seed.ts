/**
 * Seed documents and state dumps. Both have one form, so a dump can seed a
 * new server:
 *
 *   userPools:
 *     - Id: us-east-1_example          # optional; generated when absent
 *       PoolName: example
 *       Policies: { PasswordPolicy: { MinimumLength: 8 } }
 *       AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: verified_email }] }
 *       clients:
 *         - ClientId: 26lbdlrtbdqcm2vra5k8e3ugq5   # optional
 *           ClientName: web
 *           ClientSecret: ...                       # or GenerateSecret: true
 *           PreventUserExistenceErrors: ENABLED
 *           ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH]
 *       users:
 *         - Username: alice
 *           Password: Passw0rd!                     # hashed on load; or PasswordHash from a dump
 *           Attributes: { email: alice@example.com, email_verified: "true" }
 *           Enabled: true
 *           UserStatus: CONFIRMED
 */
import { randomUUID } from "node:crypto";
import { SeedError, type BehaviorContext, type SeedCounts } from "../mock-state.js";
import { UserStatusType, type CreateUserPoolClientRequest, type CreateUserPoolRequest } from "../types.js";
import { buildClient, buildPool } from "./admin.js";
import { hashSecret, isSecretHash } from "./crypto.js";
import type { Store, UserRecord } from "./store.js";

type SeedRecord = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is SeedRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SeedError(`invalid seed: '${path}' must be a list`);
  return value;
}

function record(value: unknown, path: string): SeedRecord {
  if (!isRecord(value)) throw new SeedError(`invalid seed: '${path}' must be a mapping`);
  return value;
}

function text(value: unknown, path: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value === "") throw new SeedError(`invalid seed: '${path}' must be a non-empty string`);
  return value;
}

/** Adds the pools, clients and users of a seed document to the store; returns how many of each it added. */
export async function seedStore(store: Store, context: BehaviorContext, document: unknown): Promise<SeedCounts> {
  const root = record(document, "(document)");
  const counts = { userPools: 0, clients: 0, users: 0 };

  for (const [i, entry] of list(root.userPools, "userPools").entries()) {
    const path = `userPools[${i}]`;
    const { clients, users, CreationDate: _created, ...request } = record(entry, path);
    text(request.PoolName, `${path}.PoolName`, true);
    const id = text(request.Id, `${path}.Id`, false);
    if (id !== undefined && !/^[\w-]+_[0-9a-zA-Z]+$/.test(id)) throw new SeedError(`invalid seed: '${path}.Id' '${id}' is not a user pool id such as us-east-1_example`);
    if (id !== undefined && store.findPool(id) !== undefined) throw new SeedError(`invalid seed: '${path}.Id' '${id}' already exists`);
    const pool = buildPool(context, request as unknown as CreateUserPoolRequest & { Id?: string });
    store.addPool(pool);
    counts.userPools++;

    for (const [j, clientEntry] of list(clients, `${path}.clients`).entries()) {
      const clientPath = `${path}.clients[${j}]`;
      const { CreationDate: _clientCreated, ...clientRequest } = record(clientEntry, clientPath);
      text(clientRequest.ClientName, `${clientPath}.ClientName`, true);
      const clientId = text(clientRequest.ClientId, `${clientPath}.ClientId`, false);
      if (clientId !== undefined && store.hasClient(clientId)) throw new SeedError(`invalid seed: '${clientPath}.ClientId' '${clientId}' already exists`);
      const prevent = clientRequest.PreventUserExistenceErrors;
      if (prevent !== undefined && prevent !== "ENABLED" && prevent !== "LEGACY") throw new SeedError(`invalid seed: '${clientPath}.PreventUserExistenceErrors' must be ENABLED or LEGACY`);
      const client = buildClient(context, pool, { ...(clientRequest as unknown as CreateUserPoolClientRequest), UserPoolId: pool.id });
      store.addClient(client);
      counts.clients++;
    }

    for (const [k, userEntry] of list(users, `${path}.users`).entries()) {
      store.addUser(pool, await seedUser(record(userEntry, `${path}.users[${k}]`), `${path}.users[${k}]`, context));
      counts.users++;
    }
  }
  return counts;
}

async function seedUser(entry: SeedRecord, path: string, context: BehaviorContext): Promise<UserRecord> {
  const username = text(entry.Username, `${path}.Username`, true)!;
  const password = text(entry.Password, `${path}.Password`, false);
  const passwordHash = text(entry.PasswordHash, `${path}.PasswordHash`, false);
  if (passwordHash !== undefined && !isSecretHash(passwordHash)) throw new SeedError(`invalid seed: '${path}.PasswordHash' is not a hash from a state dump; give 'Password' instead`);

  const attributes = new Map<string, string>();
  for (const [name, value] of Object.entries(record(entry.Attributes ?? {}, `${path}.Attributes`))) {
    if (typeof value !== "string") throw new SeedError(`invalid seed: '${path}.Attributes.${name}' must be a string, such as "true"`);
    attributes.set(name, value);
  }
  const sub = attributes.get("sub") ?? randomUUID();
  attributes.set("sub", sub);

  const status = entry.UserStatus ?? "CONFIRMED";
  if (typeof status !== "string" || !(Object.values(UserStatusType) as string[]).includes(status)) {
    throw new SeedError(`invalid seed: '${path}.UserStatus' must be one of ${Object.values(UserStatusType).join(", ")}`);
  }
  if (entry.Enabled !== undefined && typeof entry.Enabled !== "boolean") throw new SeedError(`invalid seed: '${path}.Enabled' must be true or false`);
  const now = context.clock.now();
  return {
    username,
    sub,
    attributes,
    enabled: entry.Enabled !== false,
    status: status as UserStatusType,
    createdAt: now,
    modifiedAt: now,
    passwordHash: passwordHash ?? (password === undefined ? undefined : await hashSecret(password)),
    attempts: [],
  };
}

/** Returns the store in seed form; passwords appear only as hashes, and pending codes not at all. */
export function dumpStore(store: Store): unknown {
  return {
    userPools: store.allPools().map((pool) => ({
      Id: pool.id,
      PoolName: pool.name,
      ...pool.settings,
      Policies: { ...pool.settings.Policies, PasswordPolicy: pool.passwordPolicy },
      CreationDate: pool.createdAt.toISOString(),
      clients: store.clientsOf(pool).map((client) => ({
        ClientId: client.id,
        ClientName: client.name,
        ...(client.secret === undefined ? {} : { ClientSecret: client.secret }),
        ...client.settings,
        PreventUserExistenceErrors: client.preventUserExistenceErrors,
        ExplicitAuthFlows: client.explicitAuthFlows,
        CreationDate: client.createdAt.toISOString(),
      })),
      users: [...pool.users.values()].map((user) => ({
        Username: user.username,
        ...(user.passwordHash === undefined ? {} : { PasswordHash: user.passwordHash }),
        Attributes: Object.fromEntries(user.attributes),
        Enabled: user.enabled,
        UserStatus: user.status,
        PendingResetCode: user.resetCode === undefined ? undefined : { ExpiresAt: user.resetCode.expiresAt.toISOString() },
      })),
    })),
  };
}
