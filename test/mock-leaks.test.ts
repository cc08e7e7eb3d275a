import { createHmac } from "node:crypto";
import { Writable } from "node:stream";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { startMockServer, type OutboxMessage } from "cognito-identity-provider/mock-server";
import { pino } from "pino";
import { describe, expect, it } from "vitest";

const USERNAME = "leak-check-user";
const EMAIL = "leak.check@example.org";
const TEMPORARY_PASSWORD = "Temp-Leak-Passw0rd!";
const PASSWORD = "First-Leak-Passw0rd!";
const NEW_PASSWORD = "Second-Leak-Passw0rd!";
const WEAK_PASSWORD = "weakleakpassword";

/** Returns true when the text contains the value not as part of a longer word or number, so a six-digit code inside a request id or a timestamp does not count. */
function contains(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`).test(text);
}

describe("sensitive values in the mock's output", () => {
  it("stay out of logs, errors and the outbox listing", async () => {
    const logText: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText.push(chunk.toString("utf8"));
        done();
      },
    });
    const server = await startMockServer({ logger: pino({ level: "debug" }, stream) });
    const sdk = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    const errorMessages: string[] = [];
    const fail = async (promise: Promise<unknown>): Promise<string> => {
      const error = (await promise.then(
        () => undefined,
        (e: unknown) => e,
      )) as Error | undefined;
      expect(error, "the call should have failed").toBeDefined();
      errorMessages.push(`${error!.name}: ${error!.message}`);
      return error!.name;
    };

    try {
      const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: "leaks" }));
      const poolId = pool.UserPool!.Id!;
      const client = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "web", GenerateSecret: true, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] }));
      const clientId = client.UserPoolClient!.ClientId!;
      const clientSecret = client.UserPoolClient!.ClientSecret!;
      const secretHash = createHmac("sha256", clientSecret).update(USERNAME + clientId, "utf8").digest("base64");

      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: USERNAME,
          TemporaryPassword: TEMPORARY_PASSWORD,
          DesiredDeliveryMediums: ["EMAIL"],
          UserAttributes: [
            { Name: "email", Value: EMAIL },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      );
      await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: USERNAME, Password: PASSWORD, Permanent: true }));

      expect(await fail(sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash.replace(/^./, (c) => (c === "A" ? "B" : "A")) })))).toBe("NotAuthorizedException");
      expect(await fail(sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: USERNAME })))).toBe("NotAuthorizedException");
      await sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash }));

      const listing = await (await fetch(`${server.url}/_mock/outbox`)).text();
      const messages = (JSON.parse(listing) as { messages: OutboxMessage[] }).messages;
      expect(messages.map((message) => message.reason)).toEqual(["AdminCreateUser", "ForgotPassword"]);
      const code = messages[1]!.code!;
      expect(code).toMatch(/^\d{6}$/);

      const wrongCode = code === "000000" ? "111111" : "000000";
      expect(await fail(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash, ConfirmationCode: wrongCode, Password: NEW_PASSWORD })))).toBe(
        "CodeMismatchException",
      );
      expect(await fail(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash, ConfirmationCode: code, Password: WEAK_PASSWORD })))).toBe(
        "InvalidPasswordException",
      );
      expect(await fail(sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash, ConfirmationCode: code, Password: `${NEW_PASSWORD}${"x".repeat(300)}` })))).toBe(
        "InvalidParameterException",
      );
      await sdk.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: USERNAME, SecretHash: secretHash, ConfirmationCode: code, Password: NEW_PASSWORD }));
      expect(await fail(sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD, SECRET_HASH: secretHash } })))).toBe(
        "NotAuthorizedException",
      );
      const signedIn = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD: NEW_PASSWORD, SECRET_HASH: secretHash } }));
      expect(signedIn.AuthenticationResult?.AccessToken).toMatch(/^ey/);

      const sensitive = { USERNAME, EMAIL, TEMPORARY_PASSWORD, PASSWORD, NEW_PASSWORD, WEAK_PASSWORD, code, wrongCode, secretHash, clientSecret };
      const logs = logText.join("");
      expect(logs.split("\n").filter((line) => line.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(13);
      expect(errorMessages).toHaveLength(6);
      for (const [name, value] of Object.entries(sensitive)) {
        expect(contains(logs, value), `${name} reached the log`).toBe(false);
        for (const message of errorMessages) expect(contains(message, value), `${name} reached an error message: ${message}`).toBe(false);
      }

      // Each message may carry its own code, in `code` and in its body, and nothing else that is sensitive.
      for (const message of messages) {
        const own = message.code!;
        const rest = JSON.stringify({ ...message, code: undefined, body: message.body.replace(own, "") });
        for (const [name, value] of Object.entries(sensitive)) expect(contains(rest, value), `${name} appears in the outbox message ${message.id}`).toBe(false);
      }
      expect(messages[0]!.code).toBe(TEMPORARY_PASSWORD);
      expect(messages[0]!.destination).toBe("l***@e***");
      expect(contains(`id ${code}.`, code), "the check finds a code on its own").toBe(true);
    } finally {
      sdk.destroy();
      await server.close();
    }
  });
});
