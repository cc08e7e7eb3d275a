/**
 * ForgotPassword and ConfirmForgotPassword: the self-service password reset,
 * with Cognito's checks in Cognito's order and its exact error messages.
 */
import {
  CodeMismatchException,
  ExpiredCodeException,
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  UserNotFoundException,
} from "../errors.js";
import type { BehaviorContext } from "../mock-state.js";
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse, ForgotPasswordRequest, ForgotPasswordResponse } from "../types.js";
import { hashCode, hashSecret, newConfirmationCode, secretHashMatches, verifyCode } from "./crypto.js";
import { deliveryDetails, recoveryChannel, simulatedDelivery } from "./delivery.js";
import { checkPasswordPolicy, type ClientRecord, type PoolRecord, type Store, type UserRecord } from "./store.js";

/** How long a password-reset code stays valid: one hour, as in Cognito. */
export const CODE_VALIDITY_SECONDS = 3600;

/**
 * ForgotPassword and ConfirmForgotPassword calls allowed per user within
 * ATTEMPT_WINDOW_SECONDS before LimitExceededException.
 * NOTE: Cognito does not document its limit; 5 per hour is an estimate from public reports.
 */
export const ATTEMPT_LIMIT = 5;
export const ATTEMPT_WINDOW_SECONDS = 3600;

/** Checks SECRET_HASH against the client: required and correct when the client has a secret, absent when it has none. */
export function checkSecretHash(client: ClientRecord, username: string, secretHash: string | undefined): void {
  if (client.secret === undefined) {
    if (secretHash !== undefined) throw new InvalidParameterException({ message: `Client ${client.id} is not configured for secret but secret hash was received` });
    return;
  }
  if (secretHash === undefined || !secretHashMatches(secretHash, username, client.id, client.secret)) {
    throw new NotAuthorizedException({ message: `Unable to verify secret hash for client ${client.id}` });
  }
}

/**
 * Returns the 32-bit FNV-1a hash of the text's UTF-16 code units. It only
 * needs to be deterministic, since its input (pool id and username) is known
 * to the caller, and unlike SHA-256 it costs no native call on every request
 * that PreventUserExistenceErrors answers.
 */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class PasswordReset {
  constructor(
    private readonly store: Store,
    private readonly context: BehaviorContext,
  ) {}

  /** Sends a reset code to the user's verified channel and reports the masked destination. */
  forgotPassword(input: ForgotPasswordRequest): ForgotPasswordResponse {
    const { client, pool } = this.store.client(input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);
    const prevent = client.preventUserExistenceErrors === "ENABLED";

    const user = this.store.findUser(pool, input.Username);
    if (user === undefined) {
      if (prevent) return this.simulated(pool, input.Username);
      throw new UserNotFoundException({ message: "Username/client id combination not found." });
    }
    if (!user.enabled) {
      if (prevent) return this.simulated(pool, input.Username);
      throw new NotAuthorizedException({ message: "User is disabled." });
    }
    if (user.status === "FORCE_CHANGE_PASSWORD") throw new NotAuthorizedException({ message: "User password cannot be reset in the current state." });
    this.countAttempt(user);

    const channel = recoveryChannel(user, pool.recovery);
    if (channel === "admin_only") throw new NotAuthorizedException({ message: "Contact administrator to reset password." });
    if (channel === undefined) {
      if (prevent) return this.simulated(pool, input.Username);
      throw new InvalidParameterException({ message: "Cannot reset password for the user as there is no registered/verified email or phone_number" });
    }

    const code = newConfirmationCode();
    user.resetCode = { hash: hashCode(code), expiresAt: new Date(this.context.clock.now().getTime() + CODE_VALIDITY_SECONDS * 1000) };
    const details = deliveryDetails(channel);
    this.context.outbox.deliver({
      medium: channel.medium,
      destination: details.Destination!,
      reason: "ForgotPassword",
      subject: channel.medium === "EMAIL" ? "Your verification code" : undefined,
      body: `Your password reset code is ${code}`,
      code,
      details: { userPoolId: pool.id, clientId: client.id, sub: user.sub },
    });
    return { CodeDeliveryDetails: details };
  }

  /** Sets a new password when the code matches the latest one sent and has not expired. */
  async confirmForgotPassword(input: ConfirmForgotPasswordRequest): Promise<ConfirmForgotPasswordResponse> {
    const { client, pool } = this.store.client(input.ClientId);
    checkSecretHash(client, input.Username, input.SecretHash);

    const user = this.store.findUser(pool, input.Username);
    if (user === undefined || (!user.enabled && client.preventUserExistenceErrors === "ENABLED")) {
      if (client.preventUserExistenceErrors === "ENABLED") throw new CodeMismatchException({ message: "Invalid verification code provided, please try again." });
      throw new UserNotFoundException({ message: "Username/client id combination not found." });
    }
    if (!user.enabled) throw new NotAuthorizedException({ message: "User is disabled." });
    this.countAttempt(user);

    const pending = user.resetCode;
    if (pending === undefined || pending.expiresAt.getTime() <= this.context.clock.now().getTime()) {
      throw new ExpiredCodeException({ message: "Invalid code provided, please request a code again." });
    }
    if (!verifyCode(input.ConfirmationCode, pending.hash)) {
      throw new CodeMismatchException({ message: "Invalid verification code provided, please try again." });
    }
    checkPasswordPolicy(pool, input.Password);

    user.passwordHash = await hashSecret(input.Password);
    user.resetCode = undefined;
    user.attempts = [];
    user.status = "CONFIRMED";
    user.modifiedAt = this.context.clock.now();
    return {};
  }

  /** Records a call against the user's attempt counter, which both operations share. */
  private countAttempt(user: UserRecord): void {
    const now = this.context.clock.now().getTime();
    user.attempts = user.attempts.filter((time) => time > now - ATTEMPT_WINDOW_SECONDS * 1000 && time <= now);
    if (user.attempts.length >= ATTEMPT_LIMIT) throw new LimitExceededException({ message: "Attempt limit exceeded, please try after some time." });
    user.attempts.push(now);
  }

  /** A 200 answer that reveals nothing: a masked destination derived from the username, and nothing sent. */
  private simulated(pool: PoolRecord, username: string): ForgotPasswordResponse {
    return { CodeDeliveryDetails: simulatedDelivery(pool.recovery, fnv1a(`${pool.id}\u0000${username}`)) };
  }
}
