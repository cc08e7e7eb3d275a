/**
 * Differential test of the generated client against the official AWS SDK
 * client for ForgotPassword. For random valid requests both clients build the
 * same HTTP request. For random modeled responses and errors both parse the
 * same HTTP response to the same output or error. Neither client reaches the
 * network: the SDK gets a custom requestHandler and shapegen's client a
 * transport, and both only record the request and return a prepared response.
 */
import { readFileSync } from "node:fs";
import {
  CognitoIdentityProviderClient as SdkClient,
  ForgotPasswordCommand,
  type ForgotPasswordCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import fc from "fast-check";
import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  type ForgotPasswordRequest,
  type ForgotPasswordResponse,
  type TransportRequest,
  type TransportResponse,
} from "cognito-identity-provider";
import { describe, expect, it } from "vitest";

const SEED = 20160418;
const NAMESPACE = "com.amazonaws.cognitoidentityprovider";

interface SmithyShape {
  readonly type: string;
  readonly errors?: readonly { readonly target: string }[];
  readonly traits?: Record<string, unknown>;
}

const model = JSON.parse(readFileSync(new URL("../generated/cognito-identity-provider/smithy/model.json", import.meta.url), "utf8")) as {
  shapes: Record<string, SmithyShape>;
};

/** ForgotPassword's modeled errors with their fault and status, read from the model rather than listed by hand. */
const FORGOT_PASSWORD_ERRORS = model.shapes[`${NAMESPACE}#ForgotPassword`]!.errors!.map(({ target }) => {
  const traits = model.shapes[target]!.traits!;
  const fault = traits["smithy.api#error"] as "client" | "server";
  return { name: target.split("#")[1]!, fault, status: (traits["smithy.api#httpError"] as number | undefined) ?? (fault === "server" ? 500 : 400) };
});

// ---------------------------------------------------------------------------
// Two clients over the same capture point

/** One HTTP exchange as both clients see it: the request they built and the response they get back. */
interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

interface CannedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Both clients, each recording its last request and returning `response` to every call. */
function clientPair() {
  const state: { response: CannedResponse; sdk?: Exchange; shapegen?: Exchange } = {
    response: { status: 200, headers: {}, body: "{}" },
  };

  const sdk = new SdkClient({
    region: "us-east-1",
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { method: string; protocol: string; hostname: string; path: string; headers: Record<string, string>; body?: unknown }) {
        state.sdk = {
          method: request.method,
          url: new URL(`${request.protocol}//${request.hostname}${request.path}`),
          headers: lowerCaseKeys(request.headers),
          body: bodyText(request.body),
        };
        const { status, headers, body } = state.response;
        return { response: { statusCode: status, reason: "", headers, body: new TextEncoder().encode(body) } };
      },
    },
  });

  const shapegen = new CognitoIdentityProviderClient({
    region: "us-east-1",
    maxAttempts: 1,
    transport: async (request: TransportRequest): Promise<TransportResponse> => {
      state.shapegen = { method: request.method, url: new URL(request.url), headers: lowerCaseKeys(request.headers), body: bodyText(request.body) };
      return state.response;
    },
  });

  return { sdk, shapegen, state };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function bodyText(body: unknown): string {
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new TypeError(`expected a string or Uint8Array request body, got ${Object.prototype.toString.call(body)}`);
}

/** Settles a call and returns its output or its error, so a test can compare both ways of ending. */
async function settle<T>(call: Promise<T>): Promise<{ output: T } | { error: unknown }> {
  try {
    return { output: await call };
  } catch (error) {
    return { error };
  }
}

/** Returns the SDK output without the SDK's own `$metadata`, which shapegen's output does not carry. */
function outputMembers(output: ForgotPasswordCommandOutput): Omit<ForgotPasswordCommandOutput, "$metadata"> {
  const { $metadata: _metadata, ...members } = output;
  return members;
}

// ---------------------------------------------------------------------------
// Arbitraries for values that satisfy the model's constraints

const USERNAME_CHARACTER = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]$/u;

/** A code point of UsernameType's pattern: mostly printable ASCII, sometimes anywhere in Unicode, never whitespace, controls or unassigned ones. */
const usernameCharacter = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0x21, max: 0x7e }) },
    { weight: 1, arbitrary: fc.integer({ min: 0xa0, max: 0x2fff }) },
    { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x1faff }) },
  )
  .map((codePoint) => String.fromCodePoint(codePoint))
  .filter((character) => USERNAME_CHARACTER.test(character));

/** Generates strings of 1 to `max` characters from `alphabet`, which is ASCII, so characters are code points. */
function asciiString(alphabet: string, max: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: max }).map((characters) => characters.join(""));
}

const WORD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";

/** StringType has only a length of 0 to 131072, and short strings from all of Unicode keep the runs fast. */
const anyString = fc.string({ unit: "binary", maxLength: 24 });

const forgotPasswordRequest: fc.Arbitrary<ForgotPasswordRequest> = fc.record(
  {
    ClientId: asciiString(`${WORD}+`, 128),
    SecretHash: asciiString(`${WORD}+=/`, 128),
    UserContextData: fc.record({ IpAddress: anyString, EncodedData: anyString }, { requiredKeys: [], noNullPrototype: true }),
    Username: fc.array(usernameCharacter, { minLength: 1, maxLength: 128 }).map((characters) => characters.join("")),
    AnalyticsMetadata: fc.record({ AnalyticsEndpointId: anyString }, { requiredKeys: [], noNullPrototype: true }),
    ClientMetadata: fc.dictionary(anyString, anyString, { maxKeys: 4, noNullPrototype: true }),
  },
  { requiredKeys: ["ClientId", "Username"], noNullPrototype: true },
);

const ATTRIBUTE_NAME_CHARACTER = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]$/u;

const forgotPasswordResponse: fc.Arbitrary<ForgotPasswordResponse> = fc.record(
  {
    CodeDeliveryDetails: fc.record(
      {
        Destination: anyString,
        DeliveryMedium: fc.constantFrom("SMS" as const, "EMAIL" as const),
        AttributeName: fc
          .array(
            fc
              .oneof(fc.integer({ min: 0x09, max: 0x7e }), fc.integer({ min: 0xa0, max: 0x2fff }))
              .map((codePoint) => String.fromCodePoint(codePoint))
              .filter((character) => ATTRIBUTE_NAME_CHARACTER.test(character)),
            { minLength: 1, maxLength: 32 },
          )
          .map((characters) => characters.join("")),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
  },
  { requiredKeys: [], noNullPrototype: true },
);

/** The ways awsJson1_1 names an error: the header (bare or with a URL suffix after the colon), or the body's `__type` or `code` (bare or namespaced). */
type ErrorNaming = "header" | "header-with-url" | "type" | "namespaced-type" | "code";

const errorResponse = fc.record({
  error: fc.constantFrom(...FORGOT_PASSWORD_ERRORS),
  message: fc.string({ unit: "binary", minLength: 1, maxLength: 60 }),
  naming: fc.constantFrom<ErrorNaming>("header", "header-with-url", "type", "namespaced-type", "code"),
  modeledStatus: fc.boolean(),
  requestId: fc.uuid(),
});

function errorHttpResponse({ error, message, naming, modeledStatus, requestId }: typeof errorResponse extends fc.Arbitrary<infer T> ? T : never): CannedResponse {
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId };
  const body: Record<string, string> = { message };
  if (naming === "header") headers["x-amzn-errortype"] = `${error.name}:`;
  if (naming === "header-with-url") headers["x-amzn-errortype"] = `${error.name}:http://internal.amazon.com/coral/${NAMESPACE}/`;
  if (naming === "type") body.__type = error.name;
  if (naming === "namespaced-type") body.__type = `${NAMESPACE}#${error.name}`;
  if (naming === "code") body.code = error.name;
  // The real service sends every client error with status 400, and the modeled status is the one the mock server's useModeledStatus option sends.
  const status = error.fault === "server" || modeledStatus ? error.status : 400;
  return { status, headers, body: JSON.stringify(body) };
}

// ---------------------------------------------------------------------------

describe("ForgotPassword requests: shapegen's client and the AWS SDK", () => {
  it("build the same HTTP request for random valid input", async () => {
    const { sdk, shapegen, state } = clientPair();
    state.response = { status: 200, headers: { "content-type": "application/x-amz-json-1.1" }, body: "{}" };

    await fc.assert(
      fc.asyncProperty(forgotPasswordRequest, async (input) => {
        state.sdk = undefined;
        state.shapegen = undefined;
        await sdk.send(new ForgotPasswordCommand(input));
        await shapegen.forgotPassword(input);

        const expected = state.sdk!;
        const actual = state.shapegen!;
        expect(actual.method).toBe(expected.method);
        expect(actual.url.host).toBe(expected.url.host);
        expect(actual.url.pathname).toBe(expected.url.pathname);
        expect(actual.headers["content-type"]).toBe(expected.headers["content-type"]);
        expect(actual.headers["x-amz-target"]).toBe(expected.headers["x-amz-target"]);
        expect(actual.headers.authorization).toBe(expected.headers.authorization);
        expect(JSON.parse(actual.body)).toStrictEqual(JSON.parse(expected.body));
        expect(JSON.parse(actual.body)).toStrictEqual(JSON.parse(JSON.stringify(input)));
      }),
      { seed: SEED, numRuns: 300 },
    );
    sdk.destroy();
  });

  it("send the awsJson1_1 method, path and headers", async () => {
    const { sdk, shapegen, state } = clientPair();
    const input = { ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5", Username: "alice" };
    await sdk.send(new ForgotPasswordCommand(input));
    await shapegen.forgotPassword(input);

    for (const exchange of [state.sdk!, state.shapegen!]) {
      expect(exchange.method).toBe("POST");
      expect(exchange.url.pathname).toBe("/");
      expect(exchange.headers["content-type"]).toBe("application/x-amz-json-1.1");
      expect(exchange.headers["x-amz-target"]).toBe("AWSCognitoIdentityProviderService.ForgotPassword");
      expect(exchange.headers.authorization).toBeUndefined();
    }
    sdk.destroy();
  });
});

describe("ForgotPassword responses: shapegen's client and the AWS SDK", () => {
  it("parse the same output from random modeled responses", async () => {
    const { sdk, shapegen, state } = clientPair();
    const input = { ClientId: "client", Username: "alice" };

    await fc.assert(
      fc.asyncProperty(forgotPasswordResponse, fc.uuid(), async (output, requestId) => {
        state.response = { status: 200, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId }, body: JSON.stringify(output) };
        const expected = await sdk.send(new ForgotPasswordCommand(input));
        const actual = await shapegen.forgotPassword(input);

        expect(actual).toStrictEqual(outputMembers(expected));
        expect(actual).toStrictEqual(output);
      }),
      { seed: SEED, numRuns: 200 },
    );
    sdk.destroy();
  });

  it("throw the same error for each modeled error of ForgotPassword", async () => {
    const { sdk, shapegen, state } = clientPair();
    const input = { ClientId: "client", Username: "alice" };
    const seen = new Set<string>();

    await fc.assert(
      fc.asyncProperty(errorResponse, async (sample) => {
        state.response = errorHttpResponse(sample);
        const expected = await settle(sdk.send(new ForgotPasswordCommand(input)));
        const actual = await settle(shapegen.forgotPassword(input));
        if (!("error" in expected) || !("error" in actual)) throw new Error(`${sample.error.name}: both clients should throw, got ${JSON.stringify({ expected, actual })}`);

        const sdkError = expected.error as Error & { $fault: string; $metadata: { httpStatusCode?: number; requestId?: string } };
        const error = actual.error;
        expect(error).toBeInstanceOf(CognitoIdentityProviderServiceException);
        const shapegenError = error as CognitoIdentityProviderServiceException;
        expect(shapegenError.name).toBe(sdkError.name);
        expect(shapegenError.message).toBe(sdkError.message);
        expect(shapegenError.$fault).toBe(sdkError.$fault);
        expect(shapegenError.$metadata.httpStatusCode).toBe(sdkError.$metadata.httpStatusCode);
        expect(shapegenError.$metadata.requestId).toBe(sdkError.$metadata.requestId);

        expect(shapegenError.name).toBe(sample.error.name);
        expect(shapegenError.message).toBe(sample.message);
        expect(shapegenError.$fault).toBe(sample.error.fault);
        seen.add(sample.error.name);
      }),
      { seed: SEED, numRuns: 300 },
    );

    // Every modeled error was drawn at least once, so none of them is left untested by chance.
    expect([...seen].sort()).toEqual(FORGOT_PASSWORD_ERRORS.map((e) => e.name).sort());
    sdk.destroy();
  });

  it("reads ForgotPassword's errors from the model", () => {
    expect(FORGOT_PASSWORD_ERRORS.map((e) => e.name)).toContain("UserNotFoundException");
    expect(FORGOT_PASSWORD_ERRORS.find((e) => e.name === "InternalErrorException")).toEqual({ name: "InternalErrorException", fault: "server", status: 500 });
    expect(FORGOT_PASSWORD_ERRORS.length).toBeGreaterThanOrEqual(15);
  });
});
