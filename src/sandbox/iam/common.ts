/**
 * What the IAM handlers share: errors in AWS's words, case-insensitive lookups, ARNs, paging, tags and
 * identifiers.
 */
import type { Tag } from '@aws-sdk/client-iam';
import { type EmulatorContext, ServiceError } from '../emulator.js';
import type { IamRoleState, IamState, IamTag, IamUserState } from './state.js';

export type Ctx = EmulatorContext;

export function iamState(ctx: Ctx): IamState {
  return ctx.state.iam;
}

// ---------------------------------------------------------------------------------------------------------
// Errors (codes and statuses as in the model; messages as AWS words them)

export const noSuchEntity = (message: string): ServiceError => new ServiceError('NoSuchEntity', message, 404);
export const entityAlreadyExists = (message: string): ServiceError =>
  new ServiceError('EntityAlreadyExists', message, 409);
export const limitExceeded = (message: string): ServiceError =>
  new ServiceError('LimitExceeded', message, 409);
export const malformedPolicyDocument = (message: string): ServiceError =>
  new ServiceError('MalformedPolicyDocument', message, 400);
export const invalidInput = (message: string): ServiceError => new ServiceError('InvalidInput', message, 400);
export const deleteConflict = (message: string): ServiceError =>
  new ServiceError('DeleteConflict', message, 409);
/** Not in the model, but what AWS answers for input it cannot read (an ARN that does not parse…). */
export const validationError = (message: string): ServiceError =>
  new ServiceError('ValidationError', message, 400);

// ---------------------------------------------------------------------------------------------------------
// Names: unique and looked up without case ("They are not distinguished by case", IAM quotas guide)

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function findUser(state: IamState, name: string): IamUserState | undefined {
  return state.users.find((u) => sameName(u.name, name));
}

export function findRole(state: IamState, name: string): IamRoleState | undefined {
  return state.roles.find((r) => sameName(r.name, name));
}

export function requireUser(ctx: Ctx, name: string): IamUserState {
  const user = findUser(iamState(ctx), name);
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

export function requireRole(ctx: Ctx, name: string): IamRoleState {
  const role = findRole(iamState(ctx), name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

// ---------------------------------------------------------------------------------------------------------
// ARNs

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** `arn:partition:service:region:account:resource`, or undefined when it does not parse. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  if (!partition || !service) return undefined;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** Parse an ARN given as input: AWS answers `ValidationError` for one that does not parse. */
export function requireArn(arn: string): ParsedArn {
  const parsed = parseArn(arn);
  if (!parsed?.resource) throw validationError('Invalid ARN:  Could not be parsed!');
  return parsed;
}

export function entityArn(ctx: Ctx, kind: 'user' | 'role' | 'policy', path: string, name: string): string {
  return `arn:aws:iam::${ctx.accountId}:${kind}${path}${name}`;
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers (from the seeded generator, so runs are reproducible)

/** A unique id such as `AROA` + 17 upper-case letters and digits. */
export function uniqueId(ctx: Ctx, prefix: 'AIDA' | 'AROA' | 'ANPA'): string {
  return prefix + ctx.randomId(17);
}

// ---------------------------------------------------------------------------------------------------------
// Paging: Marker / MaxItems / IsTruncated on every List operation

export const DEFAULT_MAX_ITEMS = 100;
const MARKER_PREFIX = 'sbx1:';

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * One page of `items`, ordered by `key` (code-point order; keys must be unique). The marker is opaque:
 * the key of the last item returned, so a page stays right when items before it were deleted meanwhile.
 *
 * Only the page itself is kept in order while the items are read once, so a page of a large collection
 * costs O(n log MaxItems), not a sort of the whole collection; what it returns is what sorting everything
 * and slicing after the marker returns (items with equal keys keep their order).
 */
export function page<T>(
  items: readonly T[],
  key: (item: T) => string,
  input: { Marker?: string | undefined; MaxItems?: number | undefined },
): Page<T> {
  const after = input.Marker !== undefined ? decodeMarker(input.Marker) : undefined;
  const max = input.MaxItems ?? DEFAULT_MAX_ITEMS;
  const kept: { key: string; item: T }[] = [];
  let remaining = 0;
  for (const item of items) {
    const k = key(item);
    if (after !== undefined && compare(k, after) <= 0) continue;
    remaining++;
    if (kept.length >= max) {
      const last = kept[kept.length - 1];
      if (last === undefined || compare(k, last.key) >= 0) continue;
    }
    kept.splice(upperBound(kept, k), 0, { key: k, item });
    if (kept.length > max) kept.pop();
  }
  const slice = kept.map((entry) => entry.item);
  const last = kept[kept.length - 1];
  if (remaining > max && last !== undefined) {
    return { items: slice, IsTruncated: true, Marker: encodeMarker(last.key) };
  }
  return { items: slice, IsTruncated: false };
}

/** The index after the last entry whose key is ≤ `key` (entries are in key order). */
function upperBound(entries: readonly { key: string }[], key: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare((entries[mid] as { key: string }).key, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function encodeMarker(key: string): string {
  return Buffer.from(MARKER_PREFIX + key, 'utf8').toString('base64');
}

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  if (!text.startsWith(MARKER_PREFIX)) throw validationError('Invalid Marker.');
  return text.slice(MARKER_PREFIX.length);
}

// ---------------------------------------------------------------------------------------------------------
// Tags: at most 50 per resource, keys unique case-insensitively

export const MAX_TAGS = 50;

export type TaggedKind = 'Role' | 'User' | 'Policy' | 'SAMLProvider';

/** Check the tags of one request (duplicate keys) and copy them into state shape. */
export function tagsFromInput(tags: readonly Tag[] | undefined): IamTag[] {
  const out: IamTag[] = [];
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (out.some((t) => sameName(t.Key, key))) {
      throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    out.push({ Key: key, Value: tag.Value ?? '' });
  }
  return out;
}

/** Tags for a new resource (`Tags` on a Create… call). */
export function initialTags(kind: TaggedKind, tags: readonly Tag[] | undefined): IamTag[] {
  const out = tagsFromInput(tags);
  if (out.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for TagsPer${kind}: ${MAX_TAGS}`);
  return out;
}

/** Add or replace tags (a key given in another case replaces the old one). */
export function mergeTags(kind: TaggedKind, current: IamTag[], tags: readonly Tag[] | undefined): IamTag[] {
  const merged = current.map((t) => ({ ...t }));
  for (const tag of tagsFromInput(tags)) {
    const index = merged.findIndex((t) => sameName(t.Key, tag.Key));
    if (index >= 0) merged[index] = tag;
    else merged.push(tag);
  }
  if (merged.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for TagsPer${kind}: ${MAX_TAGS}`);
  return merged;
}

export function removeTags(current: IamTag[], keys: readonly string[] | undefined): IamTag[] {
  const remove = (keys ?? []).map((k) => k.toLowerCase());
  return current.filter((t) => !remove.includes(t.Key.toLowerCase()));
}

/** Tags as an output member: absent when there are none (AWS omits an empty `Tags`). */
export function tagsOutput(tags: readonly IamTag[]): { Tags?: Tag[] } {
  return tags.length > 0 ? { Tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })) } : {};
}

/** A `List…Tags` page. */
export function listTags(
  tags: readonly IamTag[],
  input: { Marker?: string | undefined; MaxItems?: number | undefined },
): { Tags: Tag[]; IsTruncated: boolean; Marker?: string } {
  const p = page(tags, (t) => t.Key, input);
  return { Tags: p.items.map((t) => ({ Key: t.Key, Value: t.Value })), ...pagingOutput(p) };
}

// ---------------------------------------------------------------------------------------------------------
// Output helpers

/** AWS returns policy documents URL-encoded (RFC 3986); the SDKs hand them over still encoded. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document);
}

export function date(ms: number): Date {
  return new Date(ms);
}

/** The `IsTruncated`/`Marker` members of a List output. */
export function pagingOutput<T>(p: Page<T>): { IsTruncated: boolean; Marker?: string } {
  return p.Marker !== undefined
    ? { IsTruncated: p.IsTruncated, Marker: p.Marker }
    : { IsTruncated: p.IsTruncated };
}

/** A path prefix filter (`PathPrefix`, default `/`). */
export function underPath(path: string, prefix: string | undefined): boolean {
  return path.startsWith(prefix ?? '/');
}

/** An input naming its resource by `member` (`RoleName`, `PolicyArn`…). */
export type NamedBy<M extends string> = { readonly [K in M]?: string | undefined };

/** A member the model marks required (validateInput already refused a request without it). */
export function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) {
    throw validationError(
      `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}
