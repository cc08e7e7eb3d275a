/**
 * The generated client: endpoints from the service's endpoint rules (checked
 * against the model's own smithy.rules#endpointTests), unsigned calls for
 * `auth: []` operations, typed errors, retries, and the mock server on loopback.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoIdentityProviderClient, CognitoIdentityProviderServiceException, ERROR_CLASSES, NotAuthorizedException, TooManyRequestsException, type TransportRequest } from "cognito-identity-provider";
import { startMockServer } from "cognito-identity-provider/mock-server";

interface EndpointTest {
  readonly documentation: string;
  readonly params?: { Region?: string; UseFIPS?: boolean; UseDualStack?: boolean; Endpoint?: string };
  readonly expect: { endpoint?: { url: string }; error?: string };
}

const model = JSON.parse(readFileSync(new URL("../generated/cognito-identity-provider/smithy/model.json", import.meta.url), "utf8")) as {
  shapes: Record<string, { type: string; traits?: Record<string, unknown> }>;
};
const service = Object.values(model.shapes).find((s) => s.type === "service")!;
const endpointTests = (service.traits!["smithy.rules#endpointTests"] as { testCases: EndpointTest[] }).testCases;

/** A client whose transport records the request and answers with the given response. */
function recordingClient(config: object, reply: () => { status: number; headers: Record<string, string>; body: string }) {
  const requests: TransportRequest[] = [];
  const client = new CognitoIdentityProviderClient({
    ...config,
    retryBaseDelayMs: 1,
    transport: async (request) => {
      requests.push(request);
      return reply();
    },
  });
  return { client, requests };
}

const OK = () => ({ status: 200, headers: { "x-amzn-requestid": "req-1" }, body: "{}" });

describe("client endpoint rules", () => {
  it("has endpoint tests in the model", () => {
    expect(endpointTests.length).toBeGreaterThan(20);
  });

  it.each(endpointTests.map((t) => [t.documentation, t] as const))("%s", async (_name, test) => {
    const { client, requests } = recordingClient(
      { region: test.params?.Region, useFipsEndpoint: test.params?.UseFIPS, useDualstackEndpoint: test.params?.UseDualStack, endpoint: test.params?.Endpoint },
      OK,
    );
    const call = client.forgotPassword({ ClientId: "client", Username: "alice" });
    if (test.expect.error !== undefined) {
      await expect(call).rejects.toThrow(test.expect.error);
      expect(requests).toHaveLength(0);
    } else {
      await call;
      expect(requests[0]!.url).toBe(`${test.expect.endpoint!.url.replace(/\/$/, "")}/`);
    }
  });
});

describe("client requests", () => {
  it("sends ForgotPassword unsigned", async () => {
    const { client, requests } = recordingClient({ region: "eu-west-1" }, OK);
    await client.forgotPassword({ ClientId: "client", Username: "alice" });
    expect(requests[0]!.url).toBe("https://cognito-idp.eu-west-1.amazonaws.com/");
    expect(requests[0]!.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.ForgotPassword");
    expect(requests[0]!.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(requests[0]!.body as string)).toEqual({ ClientId: "client", Username: "alice" });
  });

  it("signs operations without auth: [] with SigV4", async () => {
    const { client, requests } = recordingClient(
      { region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" } },
      OK,
    );
    await client.adminGetUser({ UserPoolId: "us-east-1_abc", Username: "alice" });
    expect(requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/cognito-idp\/aws4_request, SignedHeaders=[^,]*host[^,]*x-amz-target/);
    expect(requests[0]!.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it("rejects a signed operation without credentials", async () => {
    const { client, requests } = recordingClient({ region: "us-east-1" }, OK);
    await expect(client.adminGetUser({ UserPoolId: "us-east-1_abc", Username: "alice" })).rejects.toThrow(/needs credentials/);
    expect(requests).toHaveLength(0);
  });

  it("validates input only when asked", async () => {
    const off = recordingClient({ region: "us-east-1" }, OK);
    await off.client.forgotPassword({ ClientId: "", Username: "alice" });
    expect(off.requests).toHaveLength(1);

    const on = recordingClient({ region: "us-east-1", validate: true }, OK);
    await expect(on.client.forgotPassword({ ClientId: "", Username: "alice" })).rejects.toThrow(/ForgotPassword input is invalid/);
    expect(on.requests).toHaveLength(0);
  });
});

describe("client errors and retries", () => {
  it("throws the modeled error with the request id", async () => {
    const { client } = recordingClient({ region: "us-east-1", maxAttempts: 1 }, () => ({
      status: 400,
      headers: { "x-amzn-errortype": "NotAuthorizedException:", "x-amzn-requestid": "req-7" },
      body: JSON.stringify({ __type: "NotAuthorizedException", message: "Unable to verify secret hash for client c" }),
    }));
    const error = await client.forgotPassword({ ClientId: "c", Username: "alice" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorizedException);
    expect((error as NotAuthorizedException).message).toBe("Unable to verify secret hash for client c");
    expect((error as NotAuthorizedException).$metadata.requestId).toBe("req-7");
  });

  it("retries throttling and 5xx, then succeeds", async () => {
    const replies = [
      { status: 400, headers: {}, body: JSON.stringify({ __type: "TooManyRequestsException", message: "slow down" }) },
      { status: 503, headers: {}, body: "" },
      OK(),
    ];
    const { client, requests } = recordingClient({ region: "us-east-1", maxAttempts: 3 }, () => replies.shift()!);
    await expect(client.forgotPassword({ ClientId: "c", Username: "alice" })).resolves.toEqual({});
    expect(requests).toHaveLength(3);
  });

  it("stops after maxAttempts", async () => {
    const { client, requests } = recordingClient({ region: "us-east-1", maxAttempts: 2 }, () => ({
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: "TooManyRequestsException", message: "slow down" }),
    }));
    await expect(client.forgotPassword({ ClientId: "c", Username: "alice" })).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(requests).toHaveLength(2);
  });

  it("does not retry other client errors", async () => {
    const { client, requests } = recordingClient({ region: "us-east-1", maxAttempts: 3 }, () => ({
      status: 400,
      headers: {},
      body: JSON.stringify({ __type: "NotAuthorizedException", message: "no" }),
    }));
    await expect(client.forgotPassword({ ClientId: "c", Username: "alice" })).rejects.toBeInstanceOf(NotAuthorizedException);
    expect(requests).toHaveLength(1);
  });

  it("aborts through an AbortSignal", async () => {
    const client = new CognitoIdentityProviderClient({
      region: "us-east-1",
      maxAttempts: 1,
      transport: (request) => new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    const controller = new AbortController();
    const call = client.forgotPassword({ ClientId: "c", Username: "alice" }, { abortSignal: controller.signal });
    controller.abort();
    await expect(call).rejects.toThrow(/was aborted/);
  });

  it("times out a slow attempt", async () => {
    const client = new CognitoIdentityProviderClient({
      region: "us-east-1",
      maxAttempts: 1,
      requestTimeoutMs: 20,
      transport: (request) => new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason))),
    });
    await expect(client.forgotPassword({ ClientId: "c", Username: "alice" })).rejects.toThrow(/timed out/);
  });
});

describe("client against the mock server", () => {
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    server = await startMockServer({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await server.close();
  });

  it("gets a modeled error over fetch", async () => {
    const client = new CognitoIdentityProviderClient({ endpoint: server.url, region: "us-east-1", maxAttempts: 1 });
    const error = await client.forgotPassword({ ClientId: "no-such-client", Username: "alice" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(Object.keys(ERROR_CLASSES)).toContain((error as Error).name);
    expect((error as { $metadata: { requestId?: string } }).$metadata.requestId).toBeTruthy();
  });
});
