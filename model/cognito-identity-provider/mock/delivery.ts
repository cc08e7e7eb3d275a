/**
 * Code delivery: the channel choice and the masked destination
 * it reports in CodeDeliveryDetails.
 */
import type { CodeDeliveryDetailsType, RecoveryOptionType } from "../types.js";
import type { UserRecord } from "./store.js";

/** A destination a code can go to. */
export interface Channel {
  readonly medium: "EMAIL" | "SMS";
  readonly attribute: "email" | "phone_number";
  readonly destination: string;
}

/** Masks an email as Cognito does: first character, `***@`, first character of the domain, `***`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  const local = at === -1 ? email : email.slice(0, at);
  const domain = at === -1 ? "" : email.slice(at + 1);
  return `${[...local][0] ?? ""}***@${[...domain][0] ?? ""}***`;
}

/** Masks a phone number as Cognito does: `+`, one `*` per digit but the last four, then the last four. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  const visible = digits.slice(-4);
  return `+${"*".repeat(Math.max(0, digits.length - visible.length))}${visible}`;
}

/** Returns the CodeDeliveryDetails a response carries for a channel. */
export function deliveryDetails(channel: Channel): CodeDeliveryDetailsType {
  const masked = channel.medium === "EMAIL" ? maskEmail(channel.destination) : maskPhone(channel.destination);
  return { Destination: masked, DeliveryMedium: channel.medium, AttributeName: channel.attribute };
}

function verifiedEmail(user: UserRecord): Channel | undefined {
  const email = user.attributes.get("email");
  return email !== undefined && user.attributes.get("email_verified") === "true" ? { medium: "EMAIL", attribute: "email", destination: email } : undefined;
}

function verifiedPhone(user: UserRecord): Channel | undefined {
  const phone = user.attributes.get("phone_number");
  return phone !== undefined && user.attributes.get("phone_number_verified") === "true" ? { medium: "SMS", attribute: "phone_number", destination: phone } : undefined;
}

/**
 * Picks the channel for a password-reset code. With an AccountRecoverySetting
 * the verified method of lowest priority number wins, and `admin_only` means
 * users cannot reset their own password; without one, a verified phone comes
 * first, then a verified email. Returns undefined when nothing is verified.
 */
export function recoveryChannel(user: UserRecord, recovery: readonly RecoveryOptionType[] | undefined): Channel | "admin_only" | undefined {
  if (recovery === undefined || recovery.length === 0) return verifiedPhone(user) ?? verifiedEmail(user);

  const ordered = [...recovery].sort((a, b) => a.Priority - b.Priority);
  if (ordered[0]?.Name === "admin_only") return "admin_only";
  for (const option of ordered) {
    let channel: ReturnType<typeof verifiedEmail> | ReturnType<typeof verifiedPhone> | undefined;
    if (option.Name === "verified_email") channel = verifiedEmail(user);
    else if (option.Name === "verified_phone_number") channel = verifiedPhone(user);
    if (channel !== undefined) return channel;
  }
  return undefined;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/**
 * Returns a masked destination for a user who does not exist, is disabled or
 * has no verified channel, when the client prevents user-existence errors.
 * It is derived from a 32-bit hash of the pool and username, so repeated
 * requests report the same value, and the medium follows the pool's first
 * recovery method.
 */
export function simulatedDelivery(recovery: readonly RecoveryOptionType[] | undefined, hash: number): CodeDeliveryDetailsType {
  const first = recovery === undefined || recovery.length === 0 ? undefined : [...recovery].sort((a, b) => a.Priority - b.Priority)[0]?.Name;
  if (first === "verified_phone_number") {
    return { Destination: `+*******${String(hash % 10_000).padStart(4, "0")}`, DeliveryMedium: "SMS", AttributeName: "phone_number" };
  }
  return { Destination: `${LETTERS[hash % 26]}***@${LETTERS[Math.floor(hash / 26) % 26]}***`, DeliveryMedium: "EMAIL", AttributeName: "email" };
}
