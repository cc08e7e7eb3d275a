/**
 * Facts about the one service of a model, which every target needs.
 */
import type { Model, OperationShape, Protocol, ServiceShape, Shape, ShapeId, SourceLocation } from "../../model/ir.js";

/** The service shape and what its traits say about the wire. */
export interface ServiceInfo {
  readonly shape: ServiceShape;
  readonly protocol: Protocol;
  /** The SigV4 signing name, such as `cognito-idp`. */
  readonly signingName?: string;
  /** The host prefix of the service's endpoints, such as `cognito-idp`. */
  readonly endpointPrefix?: string;
  /** The SDK's name for the service, such as `Cognito Identity Provider`. */
  readonly sdkId: string;
  /** The service's title, or its sdkId when it has none. */
  readonly title: string;
  /** The operations in the order the service lists them. */
  readonly operations: readonly OperationShape[];
}

/** A model that cannot be generated for, named with the reason. */
export class ServiceError extends Error {
  override readonly name = "ServiceError";

  constructor(
    /** SG1011 when the model has no or several services, SG1017 when the service has no protocol. */
    readonly code: "SG1011" | "SG1017",
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
  }
}

const PROTOCOLS: Readonly<Record<string, Protocol>> = {
  "aws.protocols#awsJson1_1": "awsJson1_1",
  "aws.protocols#awsJson1_0": "awsJson1_0",
};

/** Finds the model's service and reads its protocol, signing name and operations. */
export function serviceInfo(model: Model): ServiceInfo {
  const services = [...model.shapes.values()].filter((s): s is ServiceShape => s.type === "service");
  if (services.length !== 1) throw new ServiceError("SG1011", `the model has ${services.length} service shapes; a model folder must define exactly one`);
  const shape = services[0]!;

  const protocols = Object.keys(shape.traits.other).filter((id) => id in PROTOCOLS);
  if (protocols.length !== 1) {
    throw new ServiceError("SG1017", `service '${shape.name}' must have exactly one protocol trait (aws.protocols#awsJson1_1 or aws.protocols#awsJson1_0), found ${protocols.length}`, shape.location);
  }
  const awsService = shape.traits.other["aws.api#service"] as { sdkId?: string; endpointPrefix?: string } | undefined;
  const sigv4 = shape.traits.other["aws.auth#sigv4"] as { name?: string } | undefined;
  const sdkId = awsService?.sdkId ?? shape.name;
  const title = typeof shape.traits.prelude.title === "string" ? shape.traits.prelude.title : sdkId;

  return {
    shape,
    protocol: PROTOCOLS[protocols[0]!]!,
    signingName: sigv4?.name,
    endpointPrefix: awsService?.endpointPrefix,
    sdkId,
    title,
    operations: boundOperations(model, shape).map((id) => expectShape(model, id, "operation")),
  };
}

/** Returns the service's operations, then those of its resources, depth first, each once. */
function boundOperations(model: Model, service: ServiceShape): ShapeId[] {
  const operations = new Set<ShapeId>(service.operations);
  const visitResource = (id: ShapeId) => {
    const resource = model.shapes.get(id);
    if (resource?.type !== "resource") return;
    const { create, put, read, update, delete: remove, list } = resource.lifecycle;
    for (const operation of [create, put, read, update, remove, list, ...resource.operations, ...resource.collectionOperations]) {
      if (operation !== undefined) operations.add(operation);
    }
    resource.resources.forEach(visitResource);
  };
  service.resources.forEach(visitResource);
  return [...operations];
}

/** Returns a shape of the expected type; the checker has already guaranteed that it exists. */
export function expectShape<T extends Shape["type"]>(model: Model, id: ShapeId, type: T): Extract<Shape, { type: T }> {
  const shape = model.shapes.get(id);
  if (shape?.type !== type) throw new Error(`expected '${id}' to be a ${type}, found ${shape?.type ?? "nothing"}`);
  return shape as Extract<Shape, { type: T }>;
}

/** Returns the error shapes an operation can return: its own, then the service's. */
export function operationErrors(model: Model, service: ServiceInfo, operation: OperationShape): Shape[] {
  const ids = [...operation.errors, ...service.shape.errors.filter((id) => !operation.errors.includes(id))];
  return ids.map((id) => model.shapes.get(id)!);
}
