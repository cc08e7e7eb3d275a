import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { closureOf, readSmithyJson } from "../codegen/import/smithy-json.js";
import { loadModel } from "../codegen/model/index.js";
import { toSmithyAst, type AstShape, type SmithyAst } from "../codegen/model/smithy-ast.js";

const OFFICIAL = new URL("../../shared/models/aws/cognito-identity-provider.json", import.meta.url);
const MODEL_DIR = "model/cognito-identity-provider";
const NS = "com.amazonaws.cognitoidentityprovider";
/** The operations the YAML model carries; the importer wrote the closure of exactly these. */
const OPERATIONS = [
  "AdminCreateUser",
  "AdminDisableUser",
  "AdminEnableUser",
  "AdminGetUser",
  "AdminSetUserPassword",
  "AdminUpdateUserAttributes",
  "ConfirmForgotPassword",
  "CreateUserPool",
  "CreateUserPoolClient",
  "ForgotPassword",
  "InitiateAuth",
];

async function officialClosure(): Promise<SmithyAst> {
  const ast = readSmithyJson(await readFile(OFFICIAL, "utf8"), OFFICIAL.pathname);
  return closureOf(ast, OPERATIONS);
}

async function loadedAst(): Promise<SmithyAst> {
  const result = await loadModel(MODEL_DIR);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return toSmithyAst(result.model!);
}

describe("YAML model against the official Cognito model", () => {
  it("has exactly the shapes of the operations' closure", async () => {
    const official = await officialClosure();
    const loaded = await loadedAst();

    expect(Object.keys(loaded.shapes).sort()).toEqual(Object.keys(official.shapes).sort());
    expect(Object.keys(loaded.shapes)).toHaveLength(207);
    const service = loaded.shapes[`${NS}#AWSCognitoIdentityProviderService`]!;
    expect(service.operations!.map((op) => op.target.split("#")[1]).sort()).toEqual(OPERATIONS);
  });

  it("matches every shape, member and trait", async () => {
    const official = await officialClosure();
    const loaded = await loadedAst();

    for (const [id, expected] of Object.entries(official.shapes)) {
      const actual = loaded.shapes[id]!;
      expect(actual.type, `${id} type`).toBe(expected.type);
      expect(actual.traits ?? {}, `${id} traits`).toEqual(expected.traits ?? {});
      for (const role of ["member", "key", "value", "input", "output", "version"] as const) {
        expect(actual[role], `${id} ${role}`).toEqual(expected[role]);
      }
      expect(actual.errors ?? [], `${id} errors`).toEqual(expected.errors ?? []);
      expect(actual.operations ?? [], `${id} operations`).toEqual(expected.operations ?? []);
      expectSameMembers(id, actual, expected);
    }
  });

  it("carries the request members the issue names, in model order", async () => {
    const loaded = await loadedAst();
    const request = loaded.shapes[`${NS}#ForgotPasswordRequest`]!;

    expect(Object.keys(request.members!)).toEqual(["ClientId", "SecretHash", "UserContextData", "Username", "AnalyticsMetadata", "ClientMetadata"]);
    expect(loaded.shapes[`${NS}#ForgotPassword`]!.errors).toHaveLength(15);
    expect(loaded.shapes[`${NS}#ForgotPassword`]!.traits!["smithy.api#auth"]).toEqual([]);
  });
});

function expectSameMembers(id: string, actual: AstShape, expected: AstShape): void {
  const expectedMembers = expected.members ?? {};
  const actualMembers = actual.members ?? {};
  expect(Object.keys(actualMembers), `${id} member names and order`).toEqual(Object.keys(expectedMembers));
  for (const [name, member] of Object.entries(expectedMembers)) {
    expect(actualMembers[name]!.target, `${id}$${name} target`).toBe(member.target);
    expect(actualMembers[name]!.traits ?? {}, `${id}$${name} traits`).toEqual(member.traits ?? {});
  }
}
