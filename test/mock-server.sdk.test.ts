import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ForgotPasswordCommand,
  InvalidParameterException as SdkInvalidParameterException,
  UserNotFoundException as SdkUserNotFoundException,
} from "@aws-sdk/client-cognito-identity-provider";
import { UserNotFoundException } from "cognito-identity-provider";
import { startMockServer, type MockServer, type RequestLogLine } from "cognito-identity-provider/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLIENT_ID = "26lbdlrtbdqcm2vra5k8e3ugq5";

describe("generated mock server with the official AWS SDK client", () => {
  let server: MockServer;
  let client: CognitoIdentityProviderClient;
  const log: RequestLogLine[] = [];

  beforeAll(async () => {
    server = await startMockServer({
      log: (line) => log.push(line),
      handlers: {
        ForgotPassword: (input) => {
          if (input.Username === "nobody") throw new UserNotFoundException({ message: "Username/client id combination not found." });
          return { CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } };
        },
      },
    });
    // ForgotPassword is modeled with `auth: []`, so the client needs no credentials; the SDK sends it unsigned.
    client = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it("returns a typed ForgotPasswordResponse", async () => {
    const response = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));

    expect(response.CodeDeliveryDetails).toEqual({ Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" });
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(response.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects an invalid Username with InvalidParameterException", async () => {
    const error = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "has space" })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SdkInvalidParameterException);
    const typed = error as SdkInvalidParameterException;
    expect(typed.name).toBe("InvalidParameterException");
    expect(typed.$fault).toBe("client");
    expect(typed.$metadata.httpStatusCode).toBe(400);
    expect(typed.message).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  it("reports every violation in one message", async () => {
    const error = await client.send(new ForgotPasswordCommand({ ClientId: "", Username: "x".repeat(129) })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SdkInvalidParameterException);
    expect((error as Error).message).toBe(
      "3 validation errors detected: " +
        "Value at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+; " +
        "Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  it("passes a modeled error from a handler to the client", async () => {
    const error = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "nobody" })).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SdkUserNotFoundException);
    expect((error as Error).message).toBe("Username/client id combination not found.");
  });

  it("accepts usernames the pattern allows", async () => {
    for (const username of ["corp\\alice", "0f8fad5b-d9cb-469f-a165-70867728950e", "😀".repeat(128)]) {
      const response = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: username }));
      expect(response.$metadata.httpStatusCode, username).toBe(200);
    }
  });

  it("counts length in code points", async () => {
    const error = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "😀".repeat(129) })).catch((e: unknown) => e);

    expect((error as Error).message).toContain("Member must have length less than or equal to 128");
  });

  it("sends no Authorization header and logs no member values", async () => {
    const seen: (string | undefined)[] = [];
    const listener = (request: { headers: Record<string, string | string[] | undefined> }) => seen.push(request.headers.authorization as string | undefined);
    server.server.prependListener("request", listener);
    await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "carol", SecretHash: "c2VjcmV0" }));
    server.server.removeListener("request", listener);

    expect(seen).toEqual([undefined]);
    const text = JSON.stringify(log);
    for (const secret of ["carol", "c2VjcmV0", CLIENT_ID]) expect(text).not.toContain(secret);
    expect(log.at(-1)).toMatchObject({ operation: "ForgotPassword", status: 200 });
  });

  it("answers an unknown target with UnknownOperationException and keeps serving", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.NoSuchThing" },
      body: "{}",
    });

    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException:");
    expect(await response.json()).toMatchObject({ __type: "UnknownOperationException" });
    const after = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));
    expect(after.$metadata.httpStatusCode).toBe(200);
  });

  it("answers broken JSON with SerializationException", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.ForgotPassword" },
      body: '{"ClientId": ',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: "SerializationException", message: "The request body is not valid JSON" });
  });

  it("answers a member of the wrong JSON type with SerializationException", async () => {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.ForgotPassword" },
      body: JSON.stringify({ ClientId: CLIENT_ID, Username: 42 }),
    });
    const body = (await response.json()) as { __type: string; message: string };

    expect(response.status).toBe(400);
    expect(body.__type).toBe("SerializationException");
    expect(body.message).toBe("expected a string, got a number at 'Username'");
  });

  it("is the SDK's service exception base for every modeled error", async () => {
    const error = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "has space" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoIdentityProviderServiceException);
  });
});

describe("generated mock server without behaviour", () => {
  it("answers ForgotPassword with a sample that satisfies the output constraints", async () => {
    const server = await startMockServer({ behaviors: false });
    const client = new CognitoIdentityProviderClient({ endpoint: server.url, region: "eu-west-1", maxAttempts: 1 });
    try {
      const response = await client.send(new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: "alice" }));

      expect(response.CodeDeliveryDetails?.DeliveryMedium).toBe("SMS");
      expect(response.CodeDeliveryDetails?.AttributeName).toMatch(/^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]{1,32}$/u);
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
