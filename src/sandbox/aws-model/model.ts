/**
 * The extracted Smithy models (./models/*.json via scripts/extract-models.mjs) as typed data, and the
 * small helpers every protocol codec shares (shape and operation lookups, timestamps, own-property maps).
 */
import connectModelJson from '../models/connect.json' with { type: 'json' };
import iamModelJson from '../models/iam.json' with { type: 'json' };
import stsModelJson from '../models/sts.json' with { type: 'json' };

// ---------------------------------------------------------------------------------------------------------
// Model types (the shape of ./models/*.json, see scripts/extract-models.mjs)

/** The AWS services whose models this module carries. */
export type AwsServiceName = 'iam' | 'connect' | 'sts';

/** The awsQuery services (form-encoded input, XML output). */
export type QueryServiceName = 'iam' | 'sts';

export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** A structure member, list member or map key/value: a target shape plus member traits. */
export interface MemberModel {
  readonly name?: string;
  readonly target: string;
  readonly required?: boolean;
  readonly default?: unknown;
  readonly httpLabel?: boolean;
  readonly httpQuery?: string;
  readonly httpQueryParams?: boolean;
  readonly httpHeader?: string;
  readonly httpPayload?: boolean;
  readonly httpResponseCode?: boolean;
  readonly jsonName?: string;
  readonly xmlName?: string;
  readonly xmlFlattened?: boolean;
  readonly timestampFormat?: string;
  readonly idempotencyToken?: boolean;
  readonly length?: Bounds;
  readonly range?: Bounds;
  readonly pattern?: string;
  readonly sensitive?: boolean;
}

export interface ShapeModel {
  readonly type: string;
  readonly members?: readonly (MemberModel & { readonly name: string })[];
  readonly member?: MemberModel;
  readonly key?: MemberModel;
  readonly value?: MemberModel;
  readonly length?: Bounds;
  readonly range?: Bounds;
  readonly pattern?: string;
  readonly sensitive?: boolean;
  readonly values?: readonly (string | number)[];
  readonly enum?: readonly string[];
  readonly timestampFormat?: string;
  readonly default?: unknown;
  readonly error?: 'client' | 'server';
  readonly httpError?: number;
  readonly queryError?: { readonly code: string; readonly httpResponseCode: number };
}

/** A `smithy.api#http` binding. */
export interface HttpBinding {
  readonly method: string;
  readonly uri: string;
  readonly code: number;
}

export interface OperationModel {
  readonly input: string | null;
  readonly output: string | null;
  readonly errors: readonly string[];
  readonly readonly: boolean;
  readonly http?: HttpBinding;
  readonly idempotent?: boolean;
}

export interface ServiceModel {
  readonly metadata: {
    readonly service: string;
    readonly protocol: string;
    readonly version: string;
    readonly xmlNamespace?: string;
  };
  readonly operations: Readonly<Record<string, OperationModel>>;
  /** The service's operations the sandbox does not emulate (with their HTTP binding for restJson1). */
  readonly otherOperations?: Readonly<Record<string, { readonly method?: string; readonly uri?: string }>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

export const MODELS: Readonly<Record<AwsServiceName, ServiceModel>> = {
  iam: iamModelJson as unknown as ServiceModel,
  sts: stsModelJson as unknown as ServiceModel,
  connect: connectModelJson as unknown as ServiceModel,
};

/** The IAM XML namespace, also used by `<ErrorResponse>`. */
export const IAM_XMLNS = MODELS.iam.metadata.xmlNamespace ?? 'https://iam.amazonaws.com/doc/2010-05-08/';

/** The XML namespace of an awsQuery service's responses and errors. */
export function xmlNamespace(service: QueryServiceName): string {
  return service === 'iam'
    ? IAM_XMLNS
    : (MODELS.sts.metadata.xmlNamespace ?? 'https://sts.amazonaws.com/doc/2011-06-15/');
}

/**
 * An operation of the service that the sandbox does not emulate: its HTTP binding (restJson1) or `{}`;
 * undefined when the service has no such operation at all.
 */
export function otherOperation(
  service: AwsServiceName,
  operation: string,
): { readonly method?: string; readonly uri?: string } | undefined {
  const others = MODELS[service].otherOperations ?? {};
  return Object.hasOwn(others, operation) ? others[operation] : undefined;
}

export function shapeOf(model: ServiceModel, id: string): ShapeModel {
  const s = model.shapes[id];
  if (!s) throw new Error(`aws-model: shape ${id} missing from the ${model.metadata.service} model`);
  return s;
}

export function opOf(service: AwsServiceName, operation: string): OperationModel | undefined {
  const ops = MODELS[service].operations;
  return Object.hasOwn(ops, operation) ? ops[operation] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps

/** Epoch ms of a timestamp value (epoch-ms number, Date or date string); undefined when unusable. */
export function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isFinite(t) ? t : undefined;
  }
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

/** `2024-01-02T03:04:05Z` (ISO-8601 without milliseconds, as AWS prints it). */
export function isoSeconds(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/** An integer as the wire writes it. */
export const INTEGER = /^[+-]?\d+$/;

/** Set a map entry as an own property: a key such as `__proto__` is data, not the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
