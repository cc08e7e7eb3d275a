import { CognitoIdentityProviderClient, filterSensitiveAdminCreateUserRequest, SENSITIVE_MARKER } from "cognito-identity-provider";
import { describe, expect, it } from "vitest";

describe("filterSensitive", () => {
  it("redacts sensitive members inside lists and keeps the rest", () => {
    const input = {
      UserPoolId: "us-east-1_example",
      Username: "alice",
      TemporaryPassword: "Temp-Passw0rd!",
      UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
    };

    const filtered = filterSensitiveAdminCreateUserRequest(input) as typeof input;

    expect(filtered.UserPoolId).toBe("us-east-1_example");
    expect(filtered.Username).toBe(SENSITIVE_MARKER);
    expect(filtered.TemporaryPassword).toBe(SENSITIVE_MARKER);
    expect(filtered.UserAttributes).toEqual([{ Name: "email", Value: SENSITIVE_MARKER }]);
    expect(input.TemporaryPassword).toBe("Temp-Passw0rd!");
  });

  it("keeps a __proto__ key as data", () => {
    const input = JSON.parse('{"UserPoolId": "p", "__proto__": {"polluted": true}}') as Record<string, unknown>;
    const filtered = filterSensitiveAdminCreateUserRequest(input) as Record<string, unknown>;

    expect(Object.getPrototypeOf(filtered)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("client debug logging", () => {
  it("logs input and output with sensitive values redacted", async () => {
    const lines: { message: string; details: Readonly<Record<string, unknown>> }[] = [];
    const body = JSON.stringify({ CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } });
    const client = new CognitoIdentityProviderClient({
      endpoint: "http://127.0.0.1:9",
      transport: async () => ({ status: 200, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "r-1" }, body }),
      logger: { debug: (message, details) => lines.push({ message, details }) },
    });

    await client.forgotPassword({ ClientId: "client1234", Username: "alice-secret-name", SecretHash: "c2VjcmV0aGFzaA==" });

    expect(lines.map((l) => l.message)).toEqual(["ForgotPassword request", "ForgotPassword response"]);
    const text = JSON.stringify(lines);
    for (const secret of ["client1234", "alice-secret-name", "c2VjcmV0aGFzaA=="]) expect(text).not.toContain(secret);
    expect(text).toContain(SENSITIVE_MARKER);
    expect(lines[1]!.details.output).toEqual({ CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } });
  });
});
