/**
 * The Cognito mock's state: user pools, their app clients and users, and
 * pending password-reset codes. Passwords and codes are kept only as scrypt
 * hashes.
 */
import type { KeyObject } from "node:crypto";
import { InvalidPasswordException, ResourceNotFoundException, UserNotFoundException } from "../errors.js";
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

export class Store {
  readonly pools = new Map<string, PoolRecord>();
  readonly clients = new Map<string, ClientRecord>();

  /** Returns the pool or throws ResourceNotFoundException with the service's message. */
  pool(id: string): PoolRecord {
    const pool = this.pools.get(id);
    if (pool === undefined) throw new ResourceNotFoundException({ message: `User pool ${id} does not exist.` });
    return pool;
  }

  /** Returns the app client or throws ResourceNotFoundException with the service's message. */
  client(id: string): { client: ClientRecord; pool: PoolRecord } {
    const client = this.clients.get(id);
    const pool = client === undefined ? undefined : this.pools.get(client.poolId);
    if (client === undefined || pool === undefined) throw new ResourceNotFoundException({ message: `User pool client ${id} does not exist.` });
    return { client, pool };
  }

  /** Returns the user, or undefined; usernames are case-insensitive only in pools configured so. */
  findUser(pool: PoolRecord, username: string): UserRecord | undefined {
    return pool.users.get(userKey(pool, username));
  }

  /** Returns the user or throws UserNotFoundException with the message the admin operations use. */
  user(pool: PoolRecord, username: string): UserRecord {
    const user = this.findUser(pool, username);
    if (user === undefined) throw new UserNotFoundException({ message: "User does not exist." });
    return user;
  }

  addUser(pool: PoolRecord, user: UserRecord): void {
    pool.users.set(userKey(pool, user.username), user);
  }

  reset(): void {
    this.pools.clear();
    this.clients.clear();
  }
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
