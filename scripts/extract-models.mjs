#!/usr/bin/env node
/**
 * Extract the part of the official AWS Smithy models (JSON AST) that the sandbox emulates into small,
 * deterministic JSON files committed under src/sandbox/models/. The sandbox never reads ../shared at run
 * time; rerun this script (`npm run extract-models`) when the operation lists below change.
 *
 * Output format (one file per service):
 *   {
 *     "metadata":   { service, protocol, version, xmlNamespace?, source },
 *     "operations": { Name: { input, output, errors[], readonly, http? } },
 *     "otherOperations": { Name: { method?, uri? } },   (the service's operations the sandbox does not emulate)
 *     "shapes":     { Name: shape }
 *   }
 * Shape ids are local names (the service namespace stripped); prelude shapes keep their absolute id
 * (`smithy.api#String`). `input`/`output` are `null` for `smithy.api#Unit`.
 * A shape is { type, ...constraints } where structure/union members are an ARRAY (model order matters for
 * awsQuery XML) of { name, target, ...member traits }, list has `member`, map has `key`/`value`.
 * Everything else (documentation, examples, endpoint rules) is dropped. Object keys are sorted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The official models live beside the project (../shared/specs/aws); AWS_SPECS_DIR points elsewhere
// (a git worktree, a CI checkout).
const specDir = resolve(process.env.AWS_SPECS_DIR ?? resolve(root, '../shared/specs/aws'));
const outDir = join(root, 'src/sandbox/models');

const SERVICES = {
  iam: {
    file: 'iam.json',
    namespace: 'com.amazonaws.iam',
    source: 'aws/api-models-aws iam/service/2010-05-08/iam-2010-05-08.json @ 56c8953e (Apache-2.0)',
    operations: `CreatePolicy GetPolicy ListPolicies DeletePolicy CreatePolicyVersion GetPolicyVersion
      ListPolicyVersions DeletePolicyVersion SetDefaultPolicyVersion ListEntitiesForPolicy CreateUser GetUser
      ListUsers DeleteUser AttachUserPolicy DetachUserPolicy ListAttachedUserPolicies ListUserPolicies
      AttachRolePolicy DetachRolePolicy ListAttachedRolePolicies ListRolePolicies CreateAccessKey ListAccessKeys
      UpdateAccessKey DeleteAccessKey GetAccessKeyLastUsed CreateSAMLProvider GetSAMLProvider UpdateSAMLProvider
      ListSAMLProviders DeleteSAMLProvider CreateRole GetRole UpdateRole UpdateAssumeRolePolicy ListRoles
      DeleteRole ListAccountAliases TagRole UntagRole ListRoleTags TagUser UntagUser ListUserTags TagPolicy
      UntagPolicy ListPolicyTags TagSAMLProvider UntagSAMLProvider ListSAMLProviderTags`,
  },
  connect: {
    file: 'connect.json',
    namespace: 'com.amazonaws.connect',
    source: 'aws/api-models-aws connect/service/2017-08-08/connect-2017-08-08.json @ 56c8953e (Apache-2.0)',
    operations: `CreateInstance DescribeInstance ListInstances DeleteInstance CreateUser DescribeUser ListUsers
      SearchUsers DeleteUser UpdateUserSecurityProfiles UpdateUserIdentityInfo UpdateUserRoutingProfile
      ListSecurityProfiles ListRoutingProfiles TagResource UntagResource ListTagsForResource GetFederationToken
      UpdateUserHierarchy CreateUserHierarchyGroup ListUserHierarchyGroups DescribeUserHierarchyGroup
      DescribeUserHierarchyStructure UpdateUserHierarchyStructure CreateRoutingProfile DescribeRoutingProfile
      ListQueues CreateQuickConnect ListQuickConnects DescribeQuickConnect DeleteQuickConnect
      CreateSecurityProfile DescribeSecurityProfile DeleteSecurityProfile`,
  },
  sts: {
    file: 'sts.json',
    namespace: 'com.amazonaws.sts',
    source: 'aws/api-models-aws sts/service/2011-06-15/sts-2011-06-15.json @ 56c8953e (Apache-2.0)',
    operations: 'GetCallerIdentity AssumeRoleWithSAML',
  },
};

const UNIT = 'smithy.api#Unit';
const PRELUDE_TYPES = {
  'smithy.api#String': 'string',
  'smithy.api#Boolean': 'boolean',
  'smithy.api#PrimitiveBoolean': 'boolean',
  'smithy.api#Integer': 'integer',
  'smithy.api#PrimitiveInteger': 'integer',
  'smithy.api#Long': 'long',
  'smithy.api#PrimitiveLong': 'long',
  'smithy.api#Short': 'short',
  'smithy.api#Byte': 'byte',
  'smithy.api#Float': 'float',
  'smithy.api#Double': 'double',
  'smithy.api#BigInteger': 'bigInteger',
  'smithy.api#BigDecimal': 'bigDecimal',
  'smithy.api#Timestamp': 'timestamp',
  'smithy.api#Blob': 'blob',
  'smithy.api#Document': 'document',
};

/** Sort object keys recursively (arrays keep their order). */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

/** Constraint traits that may sit on a shape or on a member. */
function constraintTraits(traits = {}) {
  const out = {};
  const length = traits['smithy.api#length'];
  if (length)
    out.length = {
      ...(length.min !== undefined && { min: length.min }),
      ...(length.max !== undefined && { max: length.max }),
    };
  const range = traits['smithy.api#range'];
  if (range)
    out.range = {
      ...(range.min !== undefined && { min: Number(range.min) }),
      ...(range.max !== undefined && { max: Number(range.max) }),
    };
  if (traits['smithy.api#pattern'] !== undefined) out.pattern = traits['smithy.api#pattern'];
  if (traits['smithy.api#sensitive']) out.sensitive = true;
  if (traits['smithy.api#timestampFormat']) out.timestampFormat = traits['smithy.api#timestampFormat'];
  if (traits['smithy.api#default'] !== undefined) out.default = traits['smithy.api#default'];
  // Legacy `smithy.api#enum` trait on a string shape.
  if (Array.isArray(traits['smithy.api#enum'])) out.enum = traits['smithy.api#enum'].map((e) => e.value);
  return out;
}

function memberTraits(traits = {}) {
  const out = constraintTraits(traits);
  if (traits['smithy.api#required']) out.required = true;
  if (traits['smithy.api#httpLabel']) out.httpLabel = true;
  if (traits['smithy.api#httpQuery'] !== undefined) out.httpQuery = traits['smithy.api#httpQuery'];
  if (traits['smithy.api#httpQueryParams']) out.httpQueryParams = true;
  if (traits['smithy.api#httpHeader'] !== undefined) out.httpHeader = traits['smithy.api#httpHeader'];
  if (traits['smithy.api#httpPrefixHeaders'] !== undefined)
    out.httpPrefixHeaders = traits['smithy.api#httpPrefixHeaders'];
  if (traits['smithy.api#httpPayload']) out.httpPayload = true;
  if (traits['smithy.api#httpResponseCode']) out.httpResponseCode = true;
  if (traits['smithy.api#jsonName'] !== undefined) out.jsonName = traits['smithy.api#jsonName'];
  if (traits['smithy.api#xmlName'] !== undefined) out.xmlName = traits['smithy.api#xmlName'];
  if (traits['smithy.api#xmlFlattened']) out.xmlFlattened = true;
  if (traits['smithy.api#xmlAttribute']) out.xmlAttribute = true;
  if (traits['smithy.api#idempotencyToken']) out.idempotencyToken = true;
  return out;
}

function extract(name, cfg) {
  const model = JSON.parse(readFileSync(join(specDir, cfg.file), 'utf8'));
  const all = model.shapes;
  const local = (id) => (id.startsWith(`${cfg.namespace}#`) ? id.slice(cfg.namespace.length + 1) : id);
  const serviceEntry = Object.entries(all).find(([, s]) => s.type === 'service');
  if (!serviceEntry) throw new Error(`${cfg.file}: no service shape`);
  const [, service] = serviceEntry;
  const protocol = service.traits['aws.protocols#awsQuery']
    ? 'awsQuery'
    : service.traits['aws.protocols#restJson1']
      ? 'restJson1'
      : 'unknown';

  const shapes = {};
  const pending = [];
  const want = (id) => {
    if (id === UNIT) return null;
    const key = local(id);
    if (!(key in shapes)) {
      shapes[key] = null; // reserve
      pending.push(id);
    }
    return key;
  };
  const ref = (m) => ({ target: want(m.target), ...memberTraits(m.traits) });

  const operations = {};
  for (const op of cfg.operations.split(/\s+/).filter(Boolean)) {
    const shape = all[`${cfg.namespace}#${op}`];
    if (shape?.type !== 'operation') throw new Error(`${cfg.file}: no operation ${op}`);
    const traits = shape.traits ?? {};
    const http = traits['smithy.api#http'];
    // This model snapshot carries no `smithy.api#readonly` traits: fall back to the HTTP method (Connect)
    // and the AWS naming convention (Get/List/Describe/Search) so the request log can tell reads from writes.
    const readonly = Boolean(
      traits['smithy.api#readonly'] ||
        (http ? http.method === 'GET' || http.method === 'HEAD' : false) ||
        /^(Get|List|Describe|Search)/.test(op),
    );
    operations[op] = {
      input: shape.input ? want(shape.input.target) : null,
      output: shape.output ? want(shape.output.target) : null,
      errors: (shape.errors ?? []).map((e) => want(e.target)),
      readonly,
      ...(http && { http: { method: http.method, uri: http.uri, code: http.code ?? 200 } }),
      ...(traits['smithy.api#idempotent'] && { idempotent: true }),
    };
  }

  while (pending.length > 0) {
    const id = pending.shift();
    const key = local(id);
    if (PRELUDE_TYPES[id]) {
      shapes[key] = { type: PRELUDE_TYPES[id] };
      continue;
    }
    const s = all[id];
    if (!s) throw new Error(`${cfg.file}: missing shape ${id}`);
    const traits = s.traits ?? {};
    const out = { type: s.type, ...constraintTraits(traits) };
    switch (s.type) {
      case 'structure':
      case 'union':
        out.members = Object.entries(s.members ?? {}).map(([mName, m]) => ({ name: mName, ...ref(m) }));
        break;
      case 'list':
      case 'set':
        out.type = 'list';
        out.member = ref(s.member);
        break;
      case 'map':
        out.key = ref(s.key);
        out.value = ref(s.value);
        break;
      case 'enum':
        out.values = Object.entries(s.members ?? {}).map(
          ([mName, m]) => m.traits?.['smithy.api#enumValue'] ?? mName,
        );
        break;
      case 'intEnum':
        out.values = Object.values(s.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue']);
        break;
      default:
        break;
    }
    if (traits['smithy.api#error']) {
      out.error = traits['smithy.api#error'];
      if (traits['smithy.api#httpError'] !== undefined) out.httpError = traits['smithy.api#httpError'];
      const q = traits['aws.protocols#awsQueryError'];
      if (q && protocol === 'awsQuery')
        out.queryError = { code: q.code, httpResponseCode: q.httpResponseCode };
    }
    shapes[key] = out;
  }

  // Every other operation of the service, so that the sandbox can tell an operation it does not emulate
  // (answered `NotImplemented`) from one that does not exist: names, and the HTTP binding for restJson1.
  const others = {};
  for (const [id, shape] of Object.entries(all)) {
    if (shape.type !== 'operation' || !id.startsWith(`${cfg.namespace}#`)) continue;
    const op = local(id);
    if (op in operations) continue;
    const http = shape.traits?.['smithy.api#http'];
    others[op] = http ? { method: http.method, uri: http.uri } : {};
  }

  const metadata = {
    service: name,
    protocol,
    version: service.version,
    source: cfg.source,
    ...(service.traits['smithy.api#xmlNamespace'] && {
      xmlNamespace: service.traits['smithy.api#xmlNamespace'].uri,
    }),
  };
  return sortKeys({ metadata, operations, otherOperations: others, shapes });
}

mkdirSync(outDir, { recursive: true });
for (const [name, cfg] of Object.entries(SERVICES)) {
  const json = `${JSON.stringify(extract(name, cfg), null, 1)}\n`;
  const file = join(outDir, `${name}.json`);
  writeFileSync(file, json);
  console.log(`${file}: ${json.length} bytes`);
}
