/**
 * The Smithy IDL 2.0 reader: each construct becomes the JSON AST that
 * readSmithyJson would return for the same model.
 */
import { describe, expect, it } from "vitest";
import { mergeIntoNamespace, readSmithyIdl } from "../codegen/import/smithy-idl.js";
import { ImportError } from "../codegen/import/smithy-json.js";

const read = (text: string) => readSmithyIdl([{ file: "test.smithy", text }]);

describe("smithy IDL reader", () => {
  it("reads traits, docs, defaults and prelude targets", () => {
    const ast = read(`$version: "2.0"
namespace example.weather

/// A city.
@length(min: 1, max: 10)
string CityId

structure City {
    @required
    id: CityId
    count: Integer = 3
    tags: Tags
}

list Tags { member: String }
`);
    expect(ast.shapes["example.weather#CityId"]).toEqual({
      type: "string",
      traits: { "smithy.api#documentation": "A city.", "smithy.api#length": { min: 1, max: 10 } },
    });
    expect(ast.shapes["example.weather#City"]!.members).toEqual({
      id: { target: "example.weather#CityId", traits: { "smithy.api#required": {} } },
      count: { target: "smithy.api#Integer", traits: { "smithy.api#default": 3 } },
      tags: { target: "example.weather#Tags" },
    });
    expect(ast.shapes["example.weather#Tags"]!.member).toEqual({ target: "smithy.api#String" });
  });

  it("reads enums with and without values", () => {
    const ast = read(`$version: "2.0"
namespace ex
enum Color { RED GREEN = "green" }
intEnum Level { LOW = 1 }
`);
    expect(ast.shapes["ex#Color"]!.members).toEqual({
      RED: { target: "smithy.api#Unit", traits: { "smithy.api#enumValue": "RED" } },
      GREEN: { target: "smithy.api#Unit", traits: { "smithy.api#enumValue": "green" } },
    });
    expect(ast.shapes["ex#Level"]!.members!.LOW!.traits).toEqual({ "smithy.api#enumValue": 1 });
  });

  it("resolves use statements and node shape ids", () => {
    const ast = read(`$version: "2.0"
namespace ex
use aws.protocols#awsJson1_1
use smithy.test#httpRequestTests
@httpRequestTests([{ id: "a", protocol: awsJson1_1, method: "POST", uri: "/" }])
operation Ping {}
`);
    expect(ast.shapes["ex#Ping"]!.traits!["smithy.test#httpRequestTests"]).toEqual([{ id: "a", protocol: "aws.protocols#awsJson1_1", method: "POST", uri: "/" }]);
  });

  it("strips text block indentation", () => {
    const ast = read(`$version: "2.0"
namespace ex
@documentation("""
    first
      second
    """)
string Text
`);
    expect(ast.shapes["ex#Text"]!.traits!["smithy.api#documentation"]).toBe("first\n  second\n");
  });

  it("applies traits to shapes and members", () => {
    const ast = read(`$version: "2.0"
namespace ex
structure S { a: String }
apply S @sensitive
apply S$a {
    @required
    @documentation("A.")
}
`);
    expect(ast.shapes["ex#S"]!.traits).toEqual({ "smithy.api#sensitive": {} });
    expect(ast.shapes["ex#S"]!.members!.a!.traits).toEqual({ "smithy.api#required": {}, "smithy.api#documentation": "A." });
  });

  it("flattens mixins and drops mixin shapes", () => {
    const ast = read(`$version: "2.0"
namespace ex
@mixin
@sensitive
structure Base { id: String }
structure User with [Base] {
    $id
    name: String
}
`);
    expect(ast.shapes["ex#Base"]).toBeUndefined();
    expect(ast.shapes["ex#User"]).toEqual({
      type: "structure",
      members: { id: { target: "smithy.api#String" }, name: { target: "smithy.api#String" } },
      traits: { "smithy.api#sensitive": {} },
    });
  });

  it("reads inline operation input and output", () => {
    const ast = read(`$version: "2.0"
namespace ex
operation GetThing {
    input := { id: String }
    output := @sensitive { value: String }
    errors: [Oops]
}
@error("client")
structure Oops {}
service Things { version: "2020-01-01", operations: [GetThing] }
`);
    expect(ast.shapes["ex#GetThing"]).toEqual({
      type: "operation",
      input: { target: "ex#GetThingInput" },
      output: { target: "ex#GetThingOutput" },
      errors: [{ target: "ex#Oops" }],
    });
    expect(ast.shapes["ex#GetThingInput"]!.traits).toEqual({ "smithy.api#input": {} });
    expect(ast.shapes["ex#GetThingOutput"]!.traits).toEqual({ "smithy.api#sensitive": {}, "smithy.api#output": {} });
    expect(ast.shapes["ex#Things"]).toEqual({ type: "service", version: "2020-01-01", operations: [{ target: "ex#GetThing" }] });
  });

  it("names the place of a syntax error", () => {
    expect(() => read(`$version: "2.0"\nnamespace ex\nstructure S { a String }\n`)).toThrow(ImportError);
    expect(() => read(`$version: "2.0"\nnamespace ex\nstructure S { a String }\n`)).toThrow(/test\.smithy:3:\d+: expected ':'/);
  });

  it("rejects unknown relative shape ids", () => {
    expect(() => read(`$version: "2.0"\nnamespace ex\nstructure S { a: Missing }\n`)).toThrow(/unknown shape 'Missing'/);
  });

  it("merges namespaces and rejects clashes", () => {
    const ast = readSmithyIdl([
      { file: "a.smithy", text: `$version: "2.0"\nnamespace a\nuse b#B\nstructure A { b: B }\n` },
      { file: "b.smithy", text: `$version: "2.0"\nnamespace b\nstructure B {}\n` },
    ]);
    const merged = mergeIntoNamespace(ast, "a");
    expect(Object.keys(merged.shapes)).toEqual(["a#A", "a#B"]);
    expect(merged.shapes["a#A"]!.members!.b!.target).toBe("a#B");
  });
});
