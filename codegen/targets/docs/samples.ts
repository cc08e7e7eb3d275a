/**
 * Builds sample values for the examples of the docs site: wire-form JSON
 * values that satisfy the model's length, range, pattern and enum traits.
 */
import { PRELUDE_SHAPES, UNIT, type Member, type Model, type NodeValue, type ShapeId, type Traits } from "../../model/ir.js";
import { compilePattern } from "../../model/patterns.js";
import { words } from "../common/naming.js";

/** A wire-form value: timestamps are epoch seconds and blobs are base64 strings, as awsJson sends them. */
export type SampleValue = NodeValue;

/** Readable sample strings, tried in order, by a word of the member name. Each is kept only if it satisfies the constraints. */
const NAMED_SAMPLES: readonly (readonly [word: string, sample: string])[] = [
  ["email", "user@example.com"],
  ["destination", "u***@e***"],
  ["phone", "+12065551212"],
  ["arn", "arn:aws:iam::123456789012:role/example"],
  ["url", "https://example.com/callback"],
  ["uri", "https://example.com/callback"],
  ["username", "testuser"],
  ["password", "Example-Passw0rd!"],
  ["hash", "c2VjcmV0LWhhc2gtZXhhbXBsZQ=="],
  ["secret", "c2VjcmV0LWhhc2gtZXhhbXBsZQ=="],
  ["code", "123456"],
  ["ip", "192.0.2.1"],
  ["token", "eyJraWQiOiJleGFtcGxlIn0"],
  ["region", "us-east-1"],
  ["pool", "us-east-1_EXAMPLE"],
  ["id", "1example23456789"],
  ["key", "key"],
  ["value", "value"],
  ["name", "example-name"],
  ["message", "An example message."],
];

/** Top-level members shown in a sample beyond the required ones. Nested structures show only their required members, or their first few. */
const MAX_TOP_LEVEL_MEMBERS = 6;

/** Members shown in a nested structure without required members. */
const NESTED_OPTIONAL_MEMBERS = 3;

/** Nesting depth after which aggregates are sampled empty, so recursive shapes end. */
const MAX_DEPTH = 8;

/** Returns a sample value of the input or output structure `id`, or `{}` for Unit. */
export function sampleStructure(model: Model, id: ShapeId): { [key: string]: SampleValue } {
  if (id === UNIT) return {};
  const value = sampleShape(model, id, { name: "", depth: 0, traits: undefined });
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as { [key: string]: SampleValue }) : {};
}

interface Place {
  /** The name of the member that contains the value, whose words pick a readable sample. */
  readonly name: string;
  readonly depth: number;
  /** The member's own traits, which take precedence over its target's. */
  readonly traits: Traits | undefined;
}

function sampleMember(model: Model, member: Member, depth: number): SampleValue {
  return sampleShape(model, member.target, { name: member.name, depth, traits: member.traits });
}

/** Chooses the members of a structure to sample: every required one, then optional ones at the top level only. */
function chosenMembers(members: readonly Member[], depth: number): Member[] {
  const required = members.filter((m) => m.traits.required === true);
  if (depth === 0) {
    const optional = members.filter((m) => m.traits.required !== true).slice(0, Math.max(0, MAX_TOP_LEVEL_MEMBERS - required.length));
    return members.filter((m) => required.includes(m) || optional.includes(m));
  }
  return required.length > 0 ? required : members.slice(0, NESTED_OPTIONAL_MEMBERS);
}

function sampleShape(model: Model, id: ShapeId, place: Place): SampleValue {
  const shape = model.shapes.get(id);
  const type = shape?.type ?? PRELUDE_SHAPES.get(id);
  const traits = { ...shape?.traits, ...definedTraits(place.traits) } as Partial<Traits>;
  const deep = place.depth >= MAX_DEPTH;

  switch (shape?.type) {
    case "structure": {
      const value: { [key: string]: SampleValue } = {};
      if (!deep) for (const member of chosenMembers(shape.members, place.depth)) value[member.name] = sampleMember(model, member, place.depth + 1);
      return value;
    }
    case "union": {
      const first = shape.members[0];
      return first === undefined || deep ? {} : { [first.name]: sampleMember(model, first, place.depth + 1) };
    }
    case "list": {
      if (deep) return [];
      const count = Math.max(1, traits.length?.min ?? 1);
      return Array.from({ length: count }, () => sampleMember(model, shape.member, place.depth + 1));
    }
    case "map": {
      if (deep) return {};
      const key = sampleMember(model, shape.key, place.depth + 1);
      return { [String(key)]: sampleMember(model, shape.value, place.depth + 1) };
    }
    case "enum":
    case "intEnum": {
      const first = shape.members[0];
      return first === undefined ? "" : (first.traits.enumValue ?? first.name);
    }
    default:
      break;
  }

  if (traits.default !== undefined && traits.default !== null && typeof traits.default !== "object") return traits.default;
  switch (type) {
    case "string":
      return sampleString(place.name, traits);
    case "boolean":
      return true;
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "bigInteger":
      return sampleNumber(traits, 1);
    case "float":
    case "double":
    case "bigDecimal":
      return sampleNumber(traits, 1.5);
    case "timestamp":
      return 1700000000;
    case "blob":
      return Buffer.from("example").toString("base64");
    case "document":
      return {};
    default:
      return null;
  }
}

function definedTraits(traits: Traits | undefined): Partial<Traits> {
  if (traits === undefined) return {};
  const { length, range, pattern, default: defaultValue } = traits;
  return Object.fromEntries(Object.entries({ length, range, pattern, default: defaultValue }).filter(([, v]) => v !== undefined));
}

function sampleNumber(traits: Partial<Traits>, preferred: number): number {
  const { min, max } = traits.range ?? {};
  if (min !== undefined && preferred < min) return min;
  if (max !== undefined && preferred > max) return max;
  return preferred;
}

/** Returns a string that satisfies the length and pattern traits, preferring a readable sample picked by the member's name. */
export function sampleString(name: string, traits: Partial<Traits>): string {
  const accepts = stringChecker(traits);
  const nameWords = words(name);
  const candidates = [
    ...NAMED_SAMPLES.filter(([word]) => nameWords.includes(word) || (word === "username" && nameWords.join("") === "username")).map(([, sample]) => sample),
    "example",
    "Example1",
    "1234",
  ];
  for (const candidate of candidates) {
    const fitted = fitLength(candidate, traits);
    if (accepts(fitted)) return fitted;
  }

  const generated = traits.pattern === undefined ? "example" : sampleFromPattern(traits.pattern);
  const fitted = generated === undefined ? "example" : fitLength(generated, traits);
  // NOTE: a pattern the sampler cannot satisfy gives an invalid sample; the docs tests check every sample of the Cognito model.
  return fitted;
}

/** Returns a predicate that checks length in code points, then the pattern. */
export function stringChecker(traits: Partial<Traits>): (value: string) => boolean {
  const compiled = traits.pattern === undefined ? undefined : compilePattern(traits.pattern);
  const regex = compiled?.ok === true ? new RegExp(compiled.source, compiled.flags) : undefined;
  return (value) => {
    const length = [...value].length;
    if (traits.length?.min !== undefined && length < traits.length.min) return false;
    if (traits.length?.max !== undefined && length > traits.length.max) return false;
    return regex === undefined || regex.test(value);
  };
}

/** Repeats the sample up to the minimum length, or cuts it to the maximum, counting code points. */
function fitLength(sample: string, traits: Partial<Traits>): string {
  const points = [...(sample.length === 0 ? "a" : sample)];
  const { min, max } = traits.length ?? {};
  if (min !== undefined && points.length < min) return Array.from({ length: min }, (_, i) => points[i % points.length]).join("");
  if (max !== undefined && points.length > max) return points.slice(0, max).join("");
  return sample;
}

/**
 * Produces one string that matches a regular expression of the subset AWS
 * models use: anchors, character classes with `\p{..}`, `\w`, `\s`, `\S`,
 * `\d` and `\xNN`, groups with alternation, and quantifiers. Lookarounds are
 * skipped. Returns undefined for syntax outside that subset.
 */
export function sampleFromPattern(pattern: string): string | undefined {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return undefined;
  try {
    const parser = new PatternSampler(compiled.source, compiled.flags);
    const sample = parser.alternation();
    return new RegExp(compiled.source, compiled.flags).test(sample) ? sample : undefined;
  } catch {
    return undefined;
  }
}

/** Characters a class is tested against, in order of preference, so samples read as words and digits. */
const PREFERRED_CHARACTERS = [..."example", ..."0123456789", ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ", ..."bdfghijknoqrstuvwyzc", ..."-_.@+=/:, ", ..."!#$%&*~^"];

const PRINTABLE_ASCII = Array.from({ length: 0x7e - 0x20 }, (_, i) => String.fromCharCode(0x21 + i));

/** The bounds of a quantifier: `+` is 1 to Infinity, `{2,5}` is 2 to 5. */
interface Repeat {
  readonly min: number;
  readonly max: number;
}

/**
 * Produces a run of a character class within its bounds: "example" or "1234"
 * where the class and the bounds allow them, so `[\w-]+` reads as a word;
 * otherwise the preferred character, at least once so samples are not empty.
 */
function readableRun(regex: RegExp, choice: string, { min, max }: Repeat): string {
  for (const word of ["example", "1234"]) {
    if (max >= word.length && [...word].every((c) => regex.test(c))) return word.repeat(Math.ceil(Math.max(min, 1) / word.length));
  }
  return choice.repeat(Math.min(Math.max(min, 1), max === 0 ? 0 : Infinity));
}

class PatternSampler {
  private index = 0;

  constructor(
    private readonly source: string,
    private readonly flags: string,
  ) {}

  /** Samples `a|b|c` by its first alternative. */
  alternation(): string {
    const first = this.sequence();
    while (this.peek() === "|") {
      this.index += 1;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = "";
    while (this.index < this.source.length && this.peek() !== "|" && this.peek() !== ")") {
      const atom = this.atom();
      out += this.quantified(atom);
    }
    return out;
  }

  private peek(): string | undefined {
    return this.source[this.index];
  }

  /** Returns a function that produces the atom as often as a quantifier allows. */
  private atom(): (bounds: Repeat) => string {
    const char = this.source[this.index++]!;
    if (char === "^" || char === "$") return () => "";
    if (char === "(") {
      let lookaround = false;
      if (this.source.startsWith("?:", this.index)) this.index += 2;
      else if (/^\?<?[=!]/.test(this.source.slice(this.index))) {
        lookaround = true;
        this.index += this.source[this.index + 1] === "<" ? 3 : 2;
      }
      const inner = this.alternation();
      if (this.source[this.index++] !== ")") throw new Error("unbalanced group");
      return lookaround ? () => "" : ({ min }) => inner.repeat(Math.max(min, 1));
    }
    if (char === "[") return this.characterClass();
    if (char === "\\") return this.repeatCharacter(this.escape());
    if (char === ".") return this.repeatCharacter("a");
    return ({ min }) => char.repeat(Math.max(min, 1));
  }

  private repeatCharacter(pattern: string): (bounds: Repeat) => string {
    const regex = new RegExp(`^(?:${pattern})$`, this.flags);
    const choice = [...PREFERRED_CHARACTERS, ...PRINTABLE_ASCII].find((c) => regex.test(c));
    if (choice === undefined) throw new Error(`no sample character for ${pattern}`);
    return (bounds) => readableRun(regex, choice, bounds);
  }

  private characterClass(): (bounds: Repeat) => string {
    const start = this.index - 1;
    if (this.peek() === "^") this.index += 1;
    if (this.peek() === "]") this.index += 1;
    while (this.index < this.source.length && this.peek() !== "]") {
      if (this.peek() === "\\") {
        this.index += 1;
        this.escape();
      } else this.index += 1;
    }
    this.index += 1;
    return this.repeatCharacter(this.source.slice(start, this.index));
  }

  /** Consumes an escape after the backslash and returns it as pattern text. */
  private escape(): string {
    const char = this.source[this.index++]!;
    if ((char === "p" || char === "P") && this.peek() === "{") {
      const end = this.source.indexOf("}", this.index);
      const text = this.source.slice(this.index - 2, end + 1);
      this.index = end + 1;
      return text;
    }
    if (char === "x") {
      const text = `\\x${this.source.slice(this.index, this.index + 2)}`;
      this.index += 2;
      return text;
    }
    if (char === "u") {
      const text = `\\u${this.source.slice(this.index, this.index + 4)}`;
      this.index += 4;
      return text;
    }
    return `\\${char}`;
  }

  /** Reads the quantifier after an atom, if any, and produces the atom within its bounds. */
  private quantified(atom: (bounds: Repeat) => string): string {
    const char = this.peek();
    let bounds: Repeat = { min: 1, max: 1 };
    if (char === "*" || char === "+" || char === "?") {
      this.index += 1;
      bounds = { min: char === "+" ? 1 : 0, max: char === "?" ? 1 : Infinity };
    } else if (char === "{") {
      const match = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.index));
      if (match !== null) {
        this.index += match[0].length;
        const min = Number(match[1]);
        bounds = { min, max: match[2] === undefined ? min : match[3] === "" ? Infinity : Number(match[3]) };
      }
    }
    if (this.peek() === "?") this.index += 1;
    return atom(bounds);
  }
}
