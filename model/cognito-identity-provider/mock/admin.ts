/**
 * The administrative operations: user pools, app clients and users, as the
 * AWS SDK's admin calls create and change them.
 */
import { randomUUID } from "node:crypto";
import { InvalidParameterException, UserNotFoundException, UsernameExistsException } from "../errors.js";
import type { BehaviorContext } from "../mock-state.js";
import type {
  AdminCreateUserRequest,
  AdminCreateUserResponse,
  AdminDisableUserRequest,
  AdminDisableUserResponse,
  AdminEnableUserRequest,
  AdminEnableUserResponse,
  AdminGetUserRequest,
  AdminGetUserResponse,
  AdminSetUserPasswordRequest,
  AdminSetUserPasswordResponse,
  AdminUpdateUserAttributesRequest,
  AdminUpdateUserAttributesResponse,
  AttributeType,
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
  CreateUserPoolRequest,
  CreateUserPoolResponse,
  UserPoolClientType,
  UserPoolType,
  UserType,
} from "../types.js";
import { hashSecret, newClientId, newClientSecret, newTemporaryPassword, newUserPoolId } from "./crypto.js";
import { maskEmail, maskPhone } from "./delivery.js";
import { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY, type ClientRecord, type PoolRecord, type Store, type UserRecord } from "./store.js";

/** The auth flows a client allows when CreateUserPoolClient names none. */
const DEFAULT_AUTH_FLOWS = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH"];

/** Standard OpenID Connect attributes a user pool has without a custom schema. */
const STANDARD_ATTRIBUTES = new Set([
  "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name", "locale", "middle_name", "name",
  "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username", "profile", "updated_at", "website", "zoneinfo",
]);

export class Admin {
  constructor(
    private readonly store: Store,
    private readonly context: BehaviorContext,
  ) {}

  createUserPool(input: CreateUserPoolRequest): CreateUserPoolResponse {
    const pool = buildPool(this.context, input);
    this.store.addPool(pool);
    return { UserPool: describePool(pool) };
  }

  async createUserPoolClient(input: CreateUserPoolClientRequest): Promise<CreateUserPoolClientResponse> {
    const pool = this.store.pool(input.UserPoolId);
    const client = buildClient(this.context, pool, input);
    this.store.addClient(client);
    return { UserPoolClient: describeClient(client, pool) };
  }

  async adminCreateUser(input: AdminCreateUserRequest): Promise<AdminCreateUserResponse> {
    const pool = this.store.pool(input.UserPoolId);
    const existing = this.store.findUser(pool, input.Username);
    if (input.MessageAction === "RESEND") {
      if (existing === undefined) throw new UserNotFoundException({ message: "User does not exist." });
      await this.invite(pool, existing, input);
      return { User: describeUser(existing) };
    }
    if (existing !== undefined) throw new UsernameExistsException({ message: "User account already exists" });

    const attributes = checkAttributes(input.UserAttributes ?? []);
    const now = this.context.clock.now();
    const sub = randomUUID();
    const user: UserRecord = { username: input.Username, sub, attributes: new Map([["sub", sub], ...attributes]), enabled: true, status: "FORCE_CHANGE_PASSWORD", createdAt: now, modifiedAt: now, attempts: [] };

    await this.invite(pool, user, input);
    this.store.addUser(pool, user);
    return { User: describeUser(user) };
  }

  async adminSetUserPassword(input: AdminSetUserPasswordRequest): Promise<AdminSetUserPasswordResponse> {
    const pool = this.store.pool(input.UserPoolId);
    const user = this.store.user(pool, input.Username);
    checkPasswordPolicy(pool, input.Password);

    user.passwordHash = await hashSecret(input.Password);
    user.status = input.Permanent === true ? "CONFIRMED" : "FORCE_CHANGE_PASSWORD";
    user.resetCode = undefined;
    user.modifiedAt = this.context.clock.now();
    return {};
  }

  adminUpdateUserAttributes(input: AdminUpdateUserAttributesRequest): AdminUpdateUserAttributesResponse {
    const pool = this.store.pool(input.UserPoolId);
    const user = this.store.user(pool, input.Username);
    const updates = checkAttributes(input.UserAttributes);

    for (const [name, value] of updates) {
      if (value === "") user.attributes.delete(name);
      else user.attributes.set(name, value);
    }
    // A changed email or phone number is unverified unless the same call sets its verification attribute.
    if (updates.has("email") && !updates.has("email_verified")) user.attributes.set("email_verified", "false");
    if (updates.has("phone_number") && !updates.has("phone_number_verified")) user.attributes.set("phone_number_verified", "false");
    user.modifiedAt = this.context.clock.now();
    return {};
  }

  adminDisableUser(input: AdminDisableUserRequest): AdminDisableUserResponse {
    this.setEnabled(input.UserPoolId, input.Username, false);
    return {};
  }

  adminEnableUser(input: AdminEnableUserRequest): AdminEnableUserResponse {
    this.setEnabled(input.UserPoolId, input.Username, true);
    return {};
  }

  adminGetUser(input: AdminGetUserRequest): AdminGetUserResponse {
    const user = this.store.user(this.store.pool(input.UserPoolId), input.Username);
    const described = describeUser(user);
    return { Username: user.username, UserAttributes: described.Attributes, UserCreateDate: user.createdAt, UserLastModifiedDate: user.modifiedAt, Enabled: user.enabled, UserStatus: user.status };
  }

  private setEnabled(poolId: string, username: string, enabled: boolean): void {
    const user = this.store.user(this.store.pool(poolId), username);
    user.enabled = enabled;
    user.modifiedAt = this.context.clock.now();
  }

  /** Sets a temporary password and, unless suppressed, delivers the invitation to the outbox. */
  private async invite(pool: PoolRecord, user: UserRecord, input: AdminCreateUserRequest): Promise<void> {
    const temporary = input.TemporaryPassword ?? newTemporaryPassword(pool.passwordPolicy.MinimumLength);
    if (input.TemporaryPassword !== undefined) checkPasswordPolicy(pool, temporary);
    user.passwordHash = await hashSecret(temporary);
    user.status = "FORCE_CHANGE_PASSWORD";
    if (input.MessageAction === "SUPPRESS") return;

    for (const medium of input.DesiredDeliveryMediums ?? ["SMS"]) {
      const destination = user.attributes.get(medium === "EMAIL" ? "email" : "phone_number");
      if (destination === undefined) continue;
      // Unlike Cognito's default invitation, the body leaves out the username, since the outbox listing shows no usernames.
      this.context.outbox.deliver({
        medium: medium === "EMAIL" ? "EMAIL" : "SMS",
        destination: medium === "EMAIL" ? maskEmail(destination) : maskPhone(destination),
        reason: "AdminCreateUser",
        subject: medium === "EMAIL" ? "Your temporary password" : undefined,
        body: `Your temporary password is ${temporary}.`,
        code: temporary,
        details: { userPoolId: pool.id, sub: user.sub },
      });
    }
  }
}

/** Builds a pool record from a CreateUserPool request (also used for seeding). */
export function buildPool(context: BehaviorContext, input: CreateUserPoolRequest & { Id?: string }): PoolRecord {
  const { PoolName, Id, ...settings } = input;
  const id = Id ?? newUserPoolId(context.region);
  const now = context.clock.now();
  const policy = input.Policies?.PasswordPolicy;
  return {
    id,
    name: PoolName,
    arn: `arn:aws:cognito-idp:${context.region}:123456789012:userpool/${id}`,
    createdAt: now,
    modifiedAt: now,
    passwordPolicy: {
      MinimumLength: policy?.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
      RequireUppercase: policy?.RequireUppercase ?? DEFAULT_PASSWORD_POLICY.RequireUppercase,
      RequireLowercase: policy?.RequireLowercase ?? DEFAULT_PASSWORD_POLICY.RequireLowercase,
      RequireNumbers: policy?.RequireNumbers ?? DEFAULT_PASSWORD_POLICY.RequireNumbers,
      RequireSymbols: policy?.RequireSymbols ?? DEFAULT_PASSWORD_POLICY.RequireSymbols,
      TemporaryPasswordValidityDays: policy?.TemporaryPasswordValidityDays ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
    },
    recovery: input.AccountRecoverySetting?.RecoveryMechanisms,
    caseSensitive: input.UsernameConfiguration?.CaseSensitive ?? true,
    settings,
    users: new Map(),
  };
}

/** Builds a client record from a CreateUserPoolClient request (also used for seeding). */
export function buildClient(context: BehaviorContext, pool: PoolRecord, input: CreateUserPoolClientRequest & { ClientId?: string }): ClientRecord {
  const { UserPoolId: _pool, ClientName, ClientSecret, GenerateSecret, ClientId, ...settings } = input;
  return {
    id: ClientId ?? newClientId(),
    poolId: pool.id,
    name: ClientName,
    secret: ClientSecret ?? (GenerateSecret === true ? newClientSecret() : undefined),
    preventUserExistenceErrors: input.PreventUserExistenceErrors === "ENABLED" ? "ENABLED" : "LEGACY",
    explicitAuthFlows: input.ExplicitAuthFlows ?? DEFAULT_AUTH_FLOWS,
    createdAt: context.clock.now(),
    settings,
  };
}

export function describePool(pool: PoolRecord): UserPoolType {
  return {
    ...pool.settings,
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    Policies: { ...pool.settings.Policies, PasswordPolicy: { ...pool.passwordPolicy, ...pool.settings.Policies?.PasswordPolicy } },
    CreationDate: pool.createdAt,
    LastModifiedDate: pool.modifiedAt,
    MfaConfiguration: pool.settings.MfaConfiguration ?? "OFF",
    EstimatedNumberOfUsers: pool.users.size,
  };
}

export function describeClient(client: ClientRecord, pool: PoolRecord): UserPoolClientType {
  return {
    ...client.settings,
    UserPoolId: pool.id,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret === undefined ? {} : { ClientSecret: client.secret }),
    CreationDate: client.createdAt,
    LastModifiedDate: client.createdAt,
    ExplicitAuthFlows: [...client.explicitAuthFlows] as UserPoolClientType["ExplicitAuthFlows"],
    PreventUserExistenceErrors: client.preventUserExistenceErrors,
    RefreshTokenValidity: client.settings.RefreshTokenValidity ?? 30,
    AllowedOAuthFlowsUserPoolClient: client.settings.AllowedOAuthFlowsUserPoolClient ?? false,
    EnableTokenRevocation: client.settings.EnableTokenRevocation ?? true,
    AuthSessionValidity: client.settings.AuthSessionValidity ?? 3,
  };
}

export function describeUser(user: UserRecord): UserType {
  const attributes: AttributeType[] = [...user.attributes].map(([Name, Value]) => ({ Name, Value }));
  return { Username: user.username, Attributes: attributes, UserCreateDate: user.createdAt, UserLastModifiedDate: user.modifiedAt, Enabled: user.enabled, UserStatus: user.status };
}

/** Returns the attributes as a map, rejecting names outside the standard and custom attributes as Cognito does. */
function checkAttributes(attributes: readonly AttributeType[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const { Name, Value } of attributes) {
    if (Name === "sub") throw new InvalidParameterException({ message: "Cannot modify the non-mutable attribute sub" });
    if (!STANDARD_ATTRIBUTES.has(Name) && !Name.startsWith("custom:")) {
      throw new InvalidParameterException({ message: `Attributes did not conform to the schema: ${Name}: Attribute does not exist in the schema.` });
    }
    result.set(Name, Value ?? "");
  }
  return result;
}
