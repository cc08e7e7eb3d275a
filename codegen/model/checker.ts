/**
 * Resolves shape declarations into the IR and checks them: references,
 * duplicate names, trait values and where each trait may be applied.
 */
import { diagnostic, didYouMean, type Diagnostic } from "./diagnostics.js";
import {
  PRELUDE_SHAPES,
  UNIT,
  type Member,
  type Model,
  type NodeValue,
  type Shape,
  type ShapeId,
  type ShapeType,
  type SourceLocation,
  type Traits,
} from "./ir.js";
import type { MemberDeclaration, Reference, ShapeDeclaration, TraitEntry } from "./loader.js";
import isSafeRegex from "safe-regex2";
import { compilePattern } from "./patterns.js";
import { applyMixins } from "./mixins.js";
import { checkSemantics } from "./semantics.js";
import { PRELUDE_TRAITS, buildTraits, type TraitSubject } from "./traits.js";

/** Resolves and checks declarations; returns the model only when no error was found. */
export function checkModel(
  declarations: readonly ShapeDeclaration[],
  metadata: Readonly<Record<string, NodeValue>>,
  diagnostics: Diagnostic[],
  broken: ReadonlySet<ShapeId> = new Set(),
): Model | undefined {
  const errorsBefore = countErrors(diagnostics);
  const byId = indexDeclarations(declarations, diagnostics);
  const types = new Map<ShapeId, ShapeType>([...PRELUDE_SHAPES, ...[...byId].map(([id, d]) => [id, d.type] as const)]);
  const resolver = new Resolver(byId, types, diagnostics, broken);

  const declared = new Map<ShapeId, Shape>();
  for (const [id, declaration] of byId) {
    const shape = resolver.shape(id, declaration);
    if (shape) declared.set(id, shape);
  }
  const shapes = applyMixins(declared, byId, (namespace, reference, owner) => resolver.resolve(namespace, reference, owner), diagnostics);
  checkShapeRelations(shapes, byId, diagnostics);
  checkSemantics(shapes, diagnostics);

  if (countErrors(diagnostics) > errorsBefore) return undefined;
  return { shapes, metadata };
}

function countErrors(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === "error").length;
}

function indexDeclarations(declarations: readonly ShapeDeclaration[], diagnostics: Diagnostic[]): Map<ShapeId, ShapeDeclaration> {
  const byId = new Map<ShapeId, ShapeDeclaration>();
  for (const declaration of declarations) {
    const id = `${declaration.namespace}#${declaration.name}`;
    const first = byId.get(id);
    if (first) {
      const other = `${first.location.file}:${first.location.line}:${first.location.column}`;
      diagnostics.push(diagnostic("SG1003", { id, other }, declaration.location));
      continue;
    }
    byId.set(id, declaration);
  }
  return byId;
}

class Resolver {
  constructor(
    private readonly byId: ReadonlyMap<ShapeId, ShapeDeclaration>,
    private readonly types: ReadonlyMap<ShapeId, ShapeType>,
    private readonly diagnostics: Diagnostic[],
    private readonly broken: ReadonlySet<ShapeId>,
  ) {}

  shape(id: ShapeId, d: ShapeDeclaration): Shape | undefined {
    const owner = `shape '${d.name}'`;
    const base = { id, name: d.name, namespace: d.namespace, location: d.location, traits: this.traits(d.traits, owner, { kind: "shape", type: d.type }) };
    const members = d.members.map((m) => this.member(id, d, m)).filter((m): m is Member => m !== undefined);
    if (members.length !== d.members.length) return undefined;

    switch (d.type) {
      case "structure":
      case "union":
      case "enum":
      case "intEnum":
        return freeze({ ...base, type: d.type, members });
      case "list":
        return members[0] && freeze({ ...base, type: d.type, member: members[0] });
      case "map":
        return members.length === 2 ? freeze({ ...base, type: d.type, key: members[0]!, value: members[1]! }) : undefined;
      case "operation":
        return freeze({
          ...base,
          type: d.type,
          input: d.input ? this.reference(d.namespace, d.input, `the input of ${owner}`) ?? UNIT : UNIT,
          output: d.output ? this.reference(d.namespace, d.output, `the output of ${owner}`) ?? UNIT : UNIT,
          errors: this.references(d.namespace, d.errors, `an error of ${owner}`),
        });
      case "service":
        return freeze({
          ...base,
          type: d.type,
          version: d.version ?? "",
          operations: this.references(d.namespace, d.operations, `an operation of ${owner}`),
          resources: this.references(d.namespace, d.resources, `a resource of ${owner}`),
          errors: this.references(d.namespace, d.errors, `an error of ${owner}`),
        });
      case "resource":
        return freeze({
          ...base,
          type: d.type,
          identifiers: this.namedReferences(d.namespace, d.identifiers, `an identifier of ${owner}`),
          properties: this.namedReferences(d.namespace, d.properties, `a property of ${owner}`),
          lifecycle: Object.fromEntries(
            [...d.lifecycle].map(([name, reference]) => [name, this.reference(d.namespace, reference, `the ${name} operation of ${owner}`)] as const).filter(([, id]) => id !== undefined),
          ),
          operations: this.references(d.namespace, d.operations, `an operation of ${owner}`),
          collectionOperations: this.references(d.namespace, d.collectionOperations, `a collection operation of ${owner}`),
          resources: this.references(d.namespace, d.resources, `a resource of ${owner}`),
        });
      default:
        return freeze({ ...base, type: d.type });
    }
  }

  private member(containerId: ShapeId, container: ShapeDeclaration, m: MemberDeclaration): Member | undefined {
    const owner = `member '${m.name}' of shape '${container.name}'`;
    const target = m.target ? this.reference(container.namespace, m.target, owner) : UNIT;
    if (target === undefined) return undefined;
    const subject: TraitSubject = { kind: "member", container: container.type, target: this.types.get(target) };
    const traits = this.traits(m.traits, owner, subject);
    if (container.type === "enum" || container.type === "intEnum") this.checkEnumValue(container.type, m, traits, owner);
    return freeze({ name: m.name, id: `${containerId}$${m.name}`, target, traits, location: m.location });
  }

  /** Resolves a reference for checks outside the resolver, such as mixins. */
  resolve(namespace: string, reference: Reference, owner: string): ShapeId | undefined {
    return this.reference(namespace, reference, owner);
  }

  /** Resolves a name as Smithy does: the shape's own namespace first, then the prelude. */
  private reference(namespace: string, reference: Reference, owner: string): ShapeId | undefined {
    const written = reference.name;
    const candidates = written.includes("#") ? [written] : [`${namespace}#${written}`, `smithy.api#${written}`];
    const found = candidates.find((id) => this.types.has(id) || id === UNIT);
    if (found !== undefined) return found;

    // A shape that failed to load was already reported; reporting every reference to it as well would bury that error.
    if (candidates.some((id) => this.broken.has(id))) return undefined;

    const elsewhere = written.includes("#") ? undefined : [...this.byId.keys()].find((id) => id.endsWith(`#${written}`));
    const names = [...this.byId.keys()].map((id) => (id.startsWith(`${namespace}#`) ? id.slice(namespace.length + 1) : id));
    const hint = elsewhere
      ? ` It is defined in namespace '${elsewhere.slice(0, elsewhere.indexOf("#"))}', but this file's namespace is '${namespace}': write '${elsewhere}' or use the same namespace.`
      : didYouMean(written, names);
    this.diagnostics.push(diagnostic("SG1002", { owner, target: written, hint }, reference.location));
    return undefined;
  }

  private references(namespace: string, references: readonly Reference[], owner: string): ShapeId[] {
    return references.map((r) => this.reference(namespace, r, owner)).filter((id): id is ShapeId => id !== undefined);
  }

  private namedReferences(namespace: string, named: readonly (readonly [string, Reference])[], owner: string): Record<string, ShapeId> {
    const resolved: Record<string, ShapeId> = {};
    for (const [name, reference] of named) {
      const id = this.reference(namespace, reference, `'${name}', ${owner}`);
      if (id !== undefined) resolved[name] = id;
    }
    return resolved;
  }

  private traits(entries: ReadonlyMap<string, TraitEntry>, owner: string, subject: TraitSubject): Traits {
    const prelude: Record<string, unknown> = {};
    const other: Record<ShapeId, NodeValue> = {};
    for (const [name, entry] of entries) {
      if (name.includes("#")) {
        other[name] = entry.value as NodeValue;
        continue;
      }
      if (this.checkTrait(name, entry, owner, subject, entries)) prelude[name] = entry.value;
    }
    return buildTraits(prelude, other);
  }

  private checkTrait(name: string, entry: TraitEntry, owner: string, subject: TraitSubject, siblings: ReadonlyMap<string, TraitEntry>): boolean {
    const definition = PRELUDE_TRAITS[name]!;
    if (entry.value === undefined) return false;
    if (!definition.applies(subject)) {
      this.diagnostics.push(diagnostic("SG2002", { trait: name, owner, appliesTo: definition.appliesTo }, entry.location));
      return false;
    }
    const reason = definition.check(entry.value);
    if (reason !== undefined) {
      this.diagnostics.push(diagnostic("SG2001", { trait: name, owner, reason }, entry.location));
      return false;
    }
    return this.checkTraitSemantics(name, entry, owner, siblings);
  }

  private checkTraitSemantics(name: string, entry: TraitEntry, owner: string, siblings: ReadonlyMap<string, TraitEntry>): boolean {
    if (name === "pattern") {
      const pattern = entry.value as string;
      const compiled = compilePattern(pattern);
      if (!compiled.ok) {
        this.diagnostics.push(diagnostic("SG2003", { pattern, owner, reason: compiled.reason }, entry.location));
        return false;
      }
      if (compiled.note !== undefined) this.diagnostics.push(diagnostic("SG2006", { pattern, owner, note: compiled.note }, entry.location));
      // Validators check length before the pattern, so a length max on the same shape already bounds the matching time.
      const bounded = (siblings.get("length")?.value as { max?: unknown } | undefined)?.max !== undefined;
      if (!bounded && !isSafeRegex(new RegExp(compiled.source, compiled.flags))) this.diagnostics.push(diagnostic("SG2009", { pattern, owner }, entry.location));
    }
    if (name === "length" || name === "range") {
      const { min, max } = entry.value as { min?: number; max?: number };
      if (min !== undefined && max !== undefined && min > max) {
        this.diagnostics.push(diagnostic("SG2004", { trait: name, owner, min, max }, entry.location));
        return false;
      }
    }
    return true;
  }

  private checkEnumValue(type: "enum" | "intEnum", m: MemberDeclaration, traits: Traits, owner: string): void {
    const value = traits.enumValue;
    const location = m.traits.get("enumValue")?.location ?? m.location;
    if (type === "intEnum" && typeof value !== "number") {
      this.diagnostics.push(diagnostic("SG2001", { trait: "enumValue", owner, reason: "a member of an intEnum needs an integer enumValue" }, location));
    }
    if (type === "enum" && value !== undefined && typeof value !== "string") {
      this.diagnostics.push(diagnostic("SG2001", { trait: "enumValue", owner, reason: "a member of an enum takes a string enumValue" }, location));
    }
  }
}

/** Checks that need every shape resolved: what operations, services and members may target. */
function checkShapeRelations(shapes: ReadonlyMap<ShapeId, Shape>, byId: ReadonlyMap<ShapeId, ShapeDeclaration>, diagnostics: Diagnostic[]): void {
  const typeOf = (id: ShapeId) => shapes.get(id)?.type ?? PRELUDE_SHAPES.get(id) ?? (id === UNIT ? "structure" : undefined);
  const expect = (owner: string, target: ShapeId, allowed: (type: ShapeType) => boolean, expected: string, location: SourceLocation | undefined) => {
    const type = typeOf(target);
    if (type !== undefined && !allowed(type)) diagnostics.push(diagnostic("SG1008", { owner, expected, target, actual: `${/^[aeiou]/i.test(type) ? "an" : "a"} ${type}` }, location));
  };
  const isData = (type: ShapeType) => type !== "operation" && type !== "service";

  for (const shape of shapes.values()) {
    const declaration = byId.get(shape.id)!;
    const owner = `shape '${shape.name}'`;
    switch (shape.type) {
      case "operation":
        expect(`the input of ${owner}`, shape.input, (t) => t === "structure", "a structure", declaration.input?.location);
        expect(`the output of ${owner}`, shape.output, (t) => t === "structure", "a structure", declaration.output?.location);
        for (const [i, error] of shape.errors.entries()) {
          expect(`an error of ${owner}`, error, (t) => t === "structure", "a structure with the error trait", declaration.errors[i]?.location);
          const errorShape = shapes.get(error);
          if (errorShape && errorShape.traits.error === undefined) {
            diagnostics.push(diagnostic("SG1008", { owner: `an error of ${owner}`, expected: "a structure with the error trait", target: error, actual: "a structure without it" }, declaration.errors[i]?.location));
          }
        }
        break;
      case "service":
        for (const [i, operation] of shape.operations.entries()) {
          expect(`an operation of ${owner}`, operation, (t) => t === "operation", "an operation", declaration.operations[i]?.location);
        }
        break;
      case "structure":
      case "union":
        for (const member of shape.members) expect(`member '${member.name}' of ${owner}`, member.target, isData, "a data shape", member.location);
        break;
      case "list":
        expect(`the member of ${owner}`, shape.member.target, isData, "a data shape", shape.member.location);
        break;
      case "map":
        expect(`the key of ${owner}`, shape.key.target, (t) => t === "string" || t === "enum", "a string or enum shape", shape.key.location);
        expect(`the value of ${owner}`, shape.value.target, isData, "a data shape", shape.value.location);
        break;
    }
  }
}

function freeze<T>(value: T): T {
  return Object.freeze(value);
}
