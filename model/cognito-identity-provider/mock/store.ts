/**
 * The Cognito mock's state: user pools, their app clients and users, and
 * pending password-reset codes. Passwords are kept only as scrypt hashes and
 * codes as salted SHA-256 hashes. With a state file the records are loaded from it when the server
 * starts, and every record a request reads through the store is marked, so
 * the changes the request makes are written when it ends.
 */
import type { KeyObject } from "node:crypto";
import { importJWK, type JWK } from "jose";
import { InvalidPasswordException, ResourceNotFoundException, UserNotFoundException } from "../errors.js";
import type { StateFile } from "../mock-persistence.js";
import type { CreateUserPoolClientRequest, CreateUserPoolRequest, PasswordPolicyType, RecoveryOptionType, UserStatusType } from "../types.js";

/** A signing key pair of a user pool, made on first use and never dumped. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject | CryptoKey;
  readonly publicJwk: Readonly<Record<string, unknown>>;
}

export interface PoolRecord {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly createdAt: Date;
  modifiedAt: Date;
  readonly passwordPolicy: Required<Pick<PasswordPolicyType, "MinimumLength" | "RequireUppercase" | "RequireLowercase" | "RequireNumbers" | "RequireSymbols" | "TemporaryPasswordValidityDays">>;
  readonly recovery?: readonly RecoveryOptionType[];
  readonly caseSensitive: boolean;
  /** The request's other settings, echoed in the pool description. */
  readonly settings: Omit<CreateUserPoolRequest, "PoolName">;
  readonly users: Map<string, UserRecord>;
  signingKey?: Promise<SigningKey>;
}

export interface ClientRecord {
  readonly id: string;
  readonly poolId: string;
  readonly name: string;
  readonly secret?: string;
  readonly preventUserExistenceErrors: "ENABLED" | "LEGACY";
  readonly explicitAuthFlows: readonly string[];
  readonly createdAt: Date;
  readonly settings: Omit<CreateUserPoolClientRequest, "UserPoolId" | "ClientName" | "ClientSecret" | "GenerateSecret">;
}

/** A pending password-reset code; a new one replaces the old. */
export interface ResetCode {
  readonly hash: string;
  readonly expiresAt: Date;
}

export interface UserRecord {
  readonly username: string;
  readonly sub: string;
  readonly attributes: Map<string, string>;
  enabled: boolean;
  status: UserStatusType;
  readonly createdAt: Date;
  modifiedAt: Date;
  passwordHash?: string;
  resetCode?: ResetCode;
  /** Times (epoch milliseconds on the mock's clock) of recent ForgotPassword and ConfirmForgotPassword calls. */
  attempts: number[];
}

/** Cognito's default password policy for a pool created without one. */
export const DEFAULT_PASSWORD_POLICY: PoolRecord["passwordPolicy"] = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/** The characters Cognito counts as symbols in a password policy. */
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/** The kinds of the store's records in a state file. */
const KINDS = { pool: "pool", client: "client", user: "user", signingKey: "signing-key" } as const;

export class Store {
  private readonly pools = new Map<string, PoolRecord>();
  private readonly clients = new Map<string, ClientRecord>();

  constructor(private readonly stateFile?: StateFile) {
    if (stateFile !== undefined) this.load(stateFile);
  }

  /** Returns the pool or throws ResourceNotFoundException with the service's message. */
  pool(id: string): PoolRecord {
    const pool = this.pools.get(id);
    if (pool === undefined) throw new ResourceNotFoundException({ message: `User pool ${id} does not exist.` });
    return pool;
  }

  /** Returns the pool, or undefined. */
  findPool(id: string): PoolRecord | undefined {
    return this.pools.get(id);
  }

  /** Returns the app client or throws ResourceNotFoundException with the service's message. */
  client(id: string): { client: ClientRecord; pool: PoolRecord } {
    const client = this.clients.get(id);
    const pool = client === undefined ? undefined : this.pools.get(client.poolId);
    if (client === undefined || pool === undefined) throw new ResourceNotFoundException({ message: `User pool client ${id} does not exist.` });
    return { client, pool };
  }

  hasClient(id: string): boolean {
    return this.clients.has(id);
  }

  /** Returns every pool, in the order they were added. */
  allPools(): PoolRecord[] {
    return [...this.pools.values()];
  }

  /** Returns the app clients of a pool, in the order they were added. */
  clientsOf(pool: PoolRecord): ClientRecord[] {
    return [...this.clients.values()].filter((client) => client.poolId === pool.id);
  }

  /** Returns the user, or undefined; usernames are case-insensitive only in pools configured so. */
  findUser(pool: PoolRecord, username: string): UserRecord | undefined {
    const key = userKey(pool, username);
    const user = pool.users.get(key);
    if (user !== undefined) this.markUser(pool, key, user);
    return user;
  }

  /** Returns the user or throws UserNotFoundException with the message the admin operations use. */
  user(pool: PoolRecord, username: string): UserRecord {
    const user = this.findUser(pool, username);
    if (user === undefined) throw new UserNotFoundException({ message: "User does not exist." });
    return user;
  }

  /** Adds a pool; pools do not change after they are added. */
  addPool(pool: PoolRecord): void {
    this.pools.set(pool.id, pool);
    this.stateFile?.put(KINDS.pool, pool.id, () => encodePool(pool));
  }

  /** Adds an app client; clients do not change after they are added. */
  addClient(client: ClientRecord): void {
    this.clients.set(client.id, client);
    this.stateFile?.put(KINDS.client, client.id, () => encodeClient(client));
  }

  addUser(pool: PoolRecord, user: UserRecord): void {
    const key = userKey(pool, user.username);
    pool.users.set(key, user);
    this.markUser(pool, key, user);
  }

  /** Stores a pool's signing key with its private half, so tokens signed before a restart still verify after it. */
  saveSigningKey(pool: PoolRecord, key: StoredSigningKey): void {
    this.stateFile?.put(KINDS.signingKey, pool.id, () => key);
  }

  reset(): void {
    this.pools.clear();
    this.clients.clear();
    this.stateFile?.clear(KINDS.pool, KINDS.client, KINDS.user, KINDS.signingKey);
  }

  private markUser(pool: PoolRecord, key: string, user: UserRecord): void {
    this.stateFile?.put(KINDS.user, `${pool.id}/${key}`, () => encodeUser(pool, user));
  }

  /** Reads every record of the state file into the maps: pools first, since clients, users and keys name their pool. */
  private load(stateFile: StateFile): void {
    for (const { value } of stateFile.records(KINDS.pool)) {
      const pool = decodePool(value as EncodedPool);
      this.pools.set(pool.id, pool);
    }
    for (const { value } of stateFile.records(KINDS.client)) {
      const client = decodeClient(value as EncodedClient);
      this.clients.set(client.id, client);
    }
    for (const { value } of stateFile.records(KINDS.user)) {
      const encoded = value as EncodedUser;
      const pool = this.pools.get(encoded.poolId);
      if (pool !== undefined) pool.users.set(userKey(pool, encoded.username), decodeUser(encoded));
    }
    for (const { id, value } of stateFile.records(KINDS.signingKey)) {
      const pool = this.pools.get(id);
      const stored = value as StoredSigningKey;
      // An RSA JWK imports as a CryptoKey; only symmetric keys give a Uint8Array.
      if (pool !== undefined) pool.signingKey = (importJWK(stored.privateJwk, "RS256") as Promise<CryptoKey>).then((privateKey) => ({ kid: stored.kid, privateKey, publicJwk: stored.publicJwk }));
    }
  }
}

/** A signing key as the state file stores it, private half included. */
export interface StoredSigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly publicJwk: Readonly<Record<string, unknown>>;
}

type EncodedPool = Omit<PoolRecord, "createdAt" | "modifiedAt" | "users" | "signingKey"> & { createdAt: string; modifiedAt: string };
type EncodedClient = Omit<ClientRecord, "createdAt"> & { createdAt: string };
type EncodedUser = Omit<UserRecord, "attributes" | "createdAt" | "modifiedAt" | "resetCode"> & {
  poolId: string;
  attributes: [string, string][];
  createdAt: string;
  modifiedAt: string;
  resetCode?: { hash: string; expiresAt: string };
};

function encodePool(pool: PoolRecord): EncodedPool {
  const { users: _users, signingKey: _key, createdAt, modifiedAt, ...rest } = pool;
  return { ...rest, createdAt: createdAt.toISOString(), modifiedAt: modifiedAt.toISOString() };
}

function decodePool(encoded: EncodedPool): PoolRecord {
  return { ...encoded, createdAt: new Date(encoded.createdAt), modifiedAt: new Date(encoded.modifiedAt), users: new Map() };
}

function encodeClient(client: ClientRecord): EncodedClient {
  return { ...client, createdAt: client.createdAt.toISOString() };
}

function decodeClient(encoded: EncodedClient): ClientRecord {
  return { ...encoded, createdAt: new Date(encoded.createdAt) };
}

function encodeUser(pool: PoolRecord, user: UserRecord): EncodedUser {
  const { attributes, createdAt, modifiedAt, resetCode, ...rest } = user;
  return {
    ...rest,
    poolId: pool.id,
    attributes: [...attributes],
    createdAt: createdAt.toISOString(),
    modifiedAt: modifiedAt.toISOString(),
    ...(resetCode === undefined ? {} : { resetCode: { hash: resetCode.hash, expiresAt: resetCode.expiresAt.toISOString() } }),
  };
}

function decodeUser(encoded: EncodedUser): UserRecord {
  const { poolId: _pool, attributes, createdAt, modifiedAt, resetCode, ...rest } = encoded;
  return {
    ...rest,
    attributes: new Map(attributes),
    createdAt: new Date(createdAt),
    modifiedAt: new Date(modifiedAt),
    resetCode: resetCode === undefined ? undefined : { hash: resetCode.hash, expiresAt: new Date(resetCode.expiresAt) },
  };
}

function userKey(pool: PoolRecord, username: string): string {
  return pool.caseSensitive ? username : username.toLowerCase();
}

/** Throws InvalidPasswordException naming the first rule of the pool's policy that the password breaks. */
export function checkPasswordPolicy(pool: PoolRecord, password: string): void {
  const policy = pool.passwordPolicy;
  const reason =
    [...password].length < policy.MinimumLength
      ? "Password not long enough"
      : policy.RequireLowercase && !/[a-z]/.test(password)
        ? "Password must have lowercase characters"
        : policy.RequireUppercase && !/[A-Z]/.test(password)
          ? "Password must have uppercase characters"
          : policy.RequireNumbers && !/[0-9]/.test(password)
            ? "Password must have numeric characters"
            : policy.RequireSymbols && ![...password].some((c) => SYMBOLS.includes(c))
              ? "Password must have symbol characters"
              : undefined;
  if (reason !== undefined) throw new InvalidPasswordException({ message: `Password does not conform to policy: ${reason}` });
}
