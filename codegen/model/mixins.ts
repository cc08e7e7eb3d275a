/**
 * Mixin resolution: a shape that names mixins takes their members and
 * traits, and the mixin shapes leave the model, as Smithy's flattening does.
 */
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import type { Member, NodeValue, Shape, ShapeId, Traits } from "./ir.js";
import type { Reference, ShapeDeclaration } from "./loader.js";

/** Flattens mixins into the shapes that use them; returns the model without mixin shapes. */
export function applyMixins(
  shapes: ReadonlyMap<ShapeId, Shape>,
  byId: ReadonlyMap<ShapeId, ShapeDeclaration>,
  resolve: (namespace: string, reference: Reference, owner: string) => ShapeId | undefined,
  diagnostics: Diagnostic[],
): Map<ShapeId, Shape> {
  const flattened = new Map<ShapeId, Shape>();
  const inProgress = new Set<ShapeId>();

  const flatten = (shape: Shape): Shape => {
    const done = flattened.get(shape.id);
    if (done) return done;
    const declaration = byId.get(shape.id);
    if (declaration === undefined || declaration.mixins.length === 0) return shape;
    if (inProgress.has(shape.id)) {
      diagnostics.push(diagnostic("SG1018", { shape: shape.name }, shape.location));
      return shape;
    }
    inProgress.add(shape.id);

    let result = shape;
    for (const reference of declaration.mixins) {
      const owner = `a mixin of shape '${shape.name}'`;
      const id = resolve(declaration.namespace, reference, owner);
      const mixin = id === undefined ? undefined : shapes.get(id);
      if (id === undefined || mixin === undefined) continue;
      if (mixin.traits.prelude.mixin === undefined || mixin.type !== shape.type) {
        const actual = mixin.traits.prelude.mixin === undefined ? "a shape without the mixin trait" : `a ${mixin.type} mixin`;
        diagnostics.push(diagnostic("SG1008", { owner, expected: `a ${shape.type} with the mixin trait`, target: id, actual }, reference.location));
        continue;
      }
      result = merge(flatten(mixin), result);
    }

    inProgress.delete(shape.id);
    flattened.set(shape.id, result);
    return result;
  };

  const model = new Map<ShapeId, Shape>();
  for (const shape of shapes.values()) {
    if (shape.traits.prelude.mixin !== undefined) continue;
    model.set(shape.id, flatten(shape));
  }
  return model;
}

/** Puts the mixin's members before the shape's own and applies its traits under the shape's. */
function merge(mixin: Shape, shape: Shape): Shape {
  const traits = mergeTraits(mixin.traits, shape.traits);
  if (!("members" in mixin) || !("members" in shape)) return Object.freeze({ ...shape, traits }) as Shape;

  const own = new Map(shape.members.map((m) => [m.name, m]));
  const members: Member[] = mixin.members.map((m) => {
    const override = own.get(m.name);
    own.delete(m.name);
    const rehomed = { ...m, id: `${shape.id}$${m.name}` };
    return Object.freeze(override ? { ...rehomed, traits: mergeTraits(m.traits, override.traits), location: override.location } : rehomed);
  });
  members.push(...own.values());
  return Object.freeze({ ...shape, traits, members }) as Shape;
}

function mergeTraits(mixin: Traits, own: Traits): Traits {
  const localTraits = readLocalTraits(mixin.prelude.mixin);
  const inherited = Object.fromEntries(Object.entries(mixin).filter(([name]) => name !== "prelude" && name !== "other" && !localTraits.has(`smithy.api#${name}`)));
  const { mixin: _marker, ...prelude } = mixin.prelude;
  const inheritedPrelude = Object.fromEntries(Object.entries(prelude).filter(([name]) => !localTraits.has(`smithy.api#${name}`)));
  const inheritedOther = Object.fromEntries(Object.entries(mixin.other).filter(([id]) => !localTraits.has(id)));
  return Object.freeze({ ...inherited, ...own, prelude: { ...inheritedPrelude, ...own.prelude }, other: { ...inheritedOther, ...own.other } }) as Traits;
}

function readLocalTraits(value: NodeValue | undefined): Set<string> {
  const list = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { localTraits?: unknown }).localTraits : undefined;
  return new Set(Array.isArray(list) ? list.filter((t): t is string => typeof t === "string") : []);
}
