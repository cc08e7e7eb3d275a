/**
 * Hashing and random values for the Cognito mock: scrypt for passwords,
 * salted SHA-256 for confirmation codes, HMAC-SHA256 for SECRET_HASH, and ids
 * in the forms Cognito uses.
 */
import { createHash, createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt cost parameters; N = 2^14 is Node's default and keeps one hash near 50 ms. */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

function scryptAsync(secret: string, salt: Buffer, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password or code as `scrypt$<salt base64>$<hash base64>`; the value itself is never stored. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, SCRYPT.keyLength);
  return `scrypt$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Returns true when the secret matches a hash from hashSecret; compares in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scryptAsync(secret, Buffer.from(salt, "base64"), expected.length);
  return expected.length > 0 && timingSafeEqual(actual, expected);
}

/**
 * Hashes a confirmation code as `sha256$<salt base64>$<hash base64>`. A code
 * has only a million values and the outbox keeps it in clear anyway, so a
 * slow hash would protect nothing. scrypt with the SCRYPT parameters above
 * took 32 ms of CPU per code (scryptSync, Node 20, on a 2-core machine).
 */
export function hashCode(code: string): string {
  const salt = randomBytes(16);
  return `sha256$${salt.toString("base64")}$${sha256(salt, code).toString("base64")}`;
}

/** Returns true when the code matches a hash from hashCode; compares in constant time. */
export function verifyCode(code: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "sha256" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = sha256(Buffer.from(salt, "base64"), code);
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

function sha256(salt: Buffer, text: string): Buffer {
  return createHash("sha256").update(salt).update(text, "utf8").digest();
}

/** Returns true for a string in the form hashSecret writes, so a seed file can carry hashes instead of passwords. */
export function isSecretHash(value: string): boolean {
  return /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(value);
}

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)), all UTF-8. */
export function computeSecretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac("sha256", clientSecret).update(username + clientId, "utf8").digest("base64");
}

/** Compares a SECRET_HASH from a request with the expected one in constant time. */
export function secretHashMatches(received: string, username: string, clientId: string, clientSecret: string): boolean {
  const expected = Buffer.from(computeSecretHash(username, clientId, clientSecret), "utf8");
  const actual = Buffer.from(received, "utf8");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(alphabet: string, length: number): string {
  let text = "";
  for (let i = 0; i < length; i++) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/** Returns a new user pool id such as `us-east-1_aB3dE5gH7`. */
export function newUserPoolId(region: string): string {
  return `${region}_${randomString(ALNUM, 9)}`;
}

/** Returns a new app client id: 26 lower-case letters and digits, as Cognito issues them. */
export function newClientId(): string {
  return randomString(LOWER_ALNUM, 26);
}

/** Returns a new app client secret: 51 lower-case letters and digits, as Cognito issues them. */
export function newClientSecret(): string {
  return randomString(LOWER_ALNUM, 51);
}

/** Returns a new six-digit confirmation code. */
export function newConfirmationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** Returns an opaque random token, such as a session or a refresh token. */
export function newOpaqueToken(bytes = 48): string {
  return randomBytes(bytes).toString("base64url");
}

/** Returns a temporary password that satisfies every rule of the default policy: upper, lower, digit and symbol. */
export function newTemporaryPassword(minimumLength: number): string {
  const core = randomString("ABCDEFGHJKLMNPQRSTUVWXYZ", 2) + randomString("abcdefghijkmnpqrstuvwxyz", 2) + randomString("23456789", 2) + "!#";
  return core + randomString(ALNUM, Math.max(0, minimumLength - core.length));
}
