/**
 * Smithy's JSON AST: its types, and the conversion of the IR into it.
 *
 * The import reader turns the AST into YAML; this module turns the IR back
 * into the AST, so a loaded model can be compared with an official one and
 * exported by the smithy-json target.
 */
import { type Member, type Model, type NodeValue, type Shape, type ShapeId } from "./ir.js";
import { traitsToAst } from "./traits.js";

export interface AstMember {
  target: ShapeId;
  traits?: Record<ShapeId, NodeValue>;
}

export interface AstShape {
  type: string;
  traits?: Record<ShapeId, NodeValue>;
  members?: Record<string, AstMember>;
  member?: AstMember;
  key?: AstMember;
  value?: AstMember;
  input?: { target: ShapeId };
  output?: { target: ShapeId };
  errors?: { target: ShapeId }[];
  operations?: { target: ShapeId }[];
  resources?: { target: ShapeId }[];
  version?: string;
  [other: string]: unknown;
}

export interface SmithyAst {
  smithy: string;
  metadata?: Record<string, NodeValue>;
  shapes: Record<ShapeId, AstShape>;
}

/** Converts a resolved model into Smithy's JSON AST, shapes sorted by id. */
export function toSmithyAst(model: Model): SmithyAst {
  const shapes: Record<ShapeId, AstShape> = {};
  for (const id of [...model.shapes.keys()].sort()) shapes[id] = shapeToAst(model.shapes.get(id)!);
  return Object.keys(model.metadata).length > 0 ? { smithy: "2.0", metadata: { ...model.metadata }, shapes } : { smithy: "2.0", shapes };
}

function shapeToAst(shape: Shape): AstShape {
  const ast: AstShape = { type: shape.type };
  switch (shape.type) {
    case "structure":
    case "union":
    case "enum":
    case "intEnum":
      ast.members = Object.fromEntries(shape.members.map((m) => [m.name, memberToAst(m)]));
      break;
    case "list":
      ast.member = memberToAst(shape.member);
      break;
    case "map":
      ast.key = memberToAst(shape.key);
      ast.value = memberToAst(shape.value);
      break;
    case "operation":
      // Input and output are always written, Unit included, as Smithy's own serializer does.
      ast.input = { target: shape.input };
      ast.output = { target: shape.output };
      if (shape.errors.length > 0) ast.errors = shape.errors.map((target) => ({ target }));
      break;
    case "service":
      ast.version = shape.version;
      if (shape.operations.length > 0) ast.operations = shape.operations.map((target) => ({ target }));
      if (shape.resources.length > 0) ast.resources = shape.resources.map((target) => ({ target }));
      if (shape.errors.length > 0) ast.errors = shape.errors.map((target) => ({ target }));
      break;
    case "resource":
      if (Object.keys(shape.identifiers).length > 0) ast.identifiers = mapTargets(shape.identifiers);
      if (Object.keys(shape.properties).length > 0) ast.properties = mapTargets(shape.properties);
      for (const [name, target] of Object.entries(shape.lifecycle)) ast[name] = { target };
      if (shape.operations.length > 0) ast.operations = shape.operations.map((target) => ({ target }));
      if (shape.collectionOperations.length > 0) ast.collectionOperations = shape.collectionOperations.map((target) => ({ target }));
      if (shape.resources.length > 0) ast.resources = shape.resources.map((target) => ({ target }));
      break;
  }
  const traits = traitsToAst(shape.traits);
  if (Object.keys(traits).length > 0) ast.traits = traits;
  return ast;
}

function mapTargets(named: Readonly<Record<string, ShapeId>>): Record<string, { target: ShapeId }> {
  return Object.fromEntries(Object.entries(named).map(([name, target]) => [name, { target }]));
}

function memberToAst(member: Member): AstMember {
  const traits = traitsToAst(member.traits);
  return Object.keys(traits).length > 0 ? { target: member.target, traits } : { target: member.target };
}
