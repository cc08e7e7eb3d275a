/**
 * InitiateAuth with the USER_PASSWORD_AUTH flow, and the JSON Web Tokens it
 * issues: RS256, signed with a key pair each user pool makes on first use,
 * whose public half is served at `/<userPoolId>/.well-known/jwks.json`. The
 * issuer is the mock's URL followed by the pool id, which is where the
 * Cognito issuer `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`
 * points on the real service.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException, UserNotFoundException } from "../errors.js";
import type { RequestContext } from "../mock-http.js";
import type { BehaviorContext } from "../mock-state.js";
import type { HttpResponse } from "../protocol.js";
import type { InitiateAuthRequest, InitiateAuthResponse } from "../types.js";
import { newOpaqueToken, verifySecret } from "./crypto.js";
import { checkSecretHash } from "./password-reset.js";
import type { PoolRecord, SigningKey, Store, UserRecord } from "./store.js";

/** Lifetime of ID and access tokens: one hour, Cognito's default. */
const TOKEN_VALIDITY_SECONDS = 3600;

export class Auth {
  constructor(
    private readonly store: Store,
    private readonly context: BehaviorContext,
  ) {}

  async initiateAuth(input: InitiateAuthRequest, request: RequestContext): Promise<InitiateAuthResponse> {
    const { client, pool } = this.store.client(input.ClientId);
    if (input.AuthFlow !== "USER_PASSWORD_AUTH") {
      // NOTE: the mock implements only USER_PASSWORD_AUTH; other flows get this error, which the real service would not send.
      throw new InvalidParameterException({ message: `The mock server does not support the auth flow ${input.AuthFlow}; use USER_PASSWORD_AUTH` });
    }
    if (!client.explicitAuthFlows.includes("ALLOW_USER_PASSWORD_AUTH") && !client.explicitAuthFlows.includes("USER_PASSWORD_AUTH")) {
      throw new InvalidParameterException({ message: "USER_PASSWORD_AUTH flow not enabled for this client" });
    }
    const parameters = input.AuthParameters ?? {};
    const username = Object.hasOwn(parameters, "USERNAME") ? parameters.USERNAME : undefined;
    const password = Object.hasOwn(parameters, "PASSWORD") ? parameters.PASSWORD : undefined;
    if (username === undefined) throw new InvalidParameterException({ message: "Missing required parameter USERNAME" });
    if (password === undefined) throw new InvalidParameterException({ message: "Missing required parameter PASSWORD" });
    checkSecretHash(client, username, Object.hasOwn(parameters, "SECRET_HASH") ? parameters.SECRET_HASH : undefined);

    const user = this.store.findUser(pool, username);
    if (user === undefined) {
      if (client.preventUserExistenceErrors === "ENABLED") throw new NotAuthorizedException({ message: "Incorrect username or password." });
      throw new UserNotFoundException({ message: "User does not exist." });
    }
    if (!user.enabled) throw new NotAuthorizedException({ message: "User is disabled." });
    if (user.passwordHash === undefined || !(await verifySecret(password, user.passwordHash))) {
      throw new NotAuthorizedException({ message: "Incorrect username or password." });
    }
    if (user.status === "RESET_REQUIRED") throw new PasswordResetRequiredException({ message: "Password reset required for the user" });
    if (user.status === "FORCE_CHANGE_PASSWORD") {
      const attributes = Object.fromEntries([...user.attributes].filter(([name]) => name !== "sub" && !name.endsWith("_verified")));
      return {
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: newOpaqueToken(),
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: "[]", userAttributes: JSON.stringify(attributes) },
      };
    }

    return { ChallengeParameters: {}, AuthenticationResult: await this.tokens(pool, client.id, user, request.baseUrl) };
  }

  /** Serves `GET /<userPoolId>/.well-known/jwks.json`. */
  async route(method: string, path: string): Promise<HttpResponse | undefined> {
    const match = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/jwks\.json$/.exec(path);
    if (method !== "GET" || match === null) return undefined;
    const pool = this.store.findPool(match[1]!);
    if (pool === undefined) return { status: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "User pool not found" }) };
    const key = await this.signingKey(pool);
    return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ keys: [key.publicJwk] }) };
  }

  private async tokens(pool: PoolRecord, clientId: string, user: UserRecord, baseUrl: string) {
    const key = await this.signingKey(pool);
    const now = Math.floor(this.context.clock.now().getTime() / 1000);
    const common = { sub: user.sub, origin_jti: randomUUID(), event_id: randomUUID(), auth_time: now };
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: key.kid })
        .setIssuer(`${baseUrl}/${pool.id}`)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_VALIDITY_SECONDS)
        .setJti(randomUUID())
        .sign(key.privateKey);

    const idClaims: Record<string, unknown> = { ...common, aud: clientId, token_use: "id", "cognito:username": user.username };
    for (const [name, value] of user.attributes) {
      if (name === "sub") continue;
      idClaims[name] = name.endsWith("_verified") ? value === "true" : value;
    }
    return {
      AccessToken: await sign({ ...common, client_id: clientId, token_use: "access", scope: "aws.cognito.signin.user.admin", username: user.username }),
      ExpiresIn: TOKEN_VALIDITY_SECONDS,
      TokenType: "Bearer",
      // NOTE: the refresh token is opaque and not stored, so REFRESH_TOKEN_AUTH is not supported.
      RefreshToken: newOpaqueToken(96),
      IdToken: await sign(idClaims),
    };
  }

  private signingKey(pool: PoolRecord): Promise<SigningKey> {
    pool.signingKey ??= (async () => {
      const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
      const kid = newOpaqueToken(16);
      const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
      this.store.saveSigningKey(pool, { kid, privateJwk: await exportJWK(privateKey), publicJwk });
      return { kid, privateKey, publicJwk };
    })();
    return pool.signingKey;
  }
}
