/**
 * Guide step 7: the IAM SAML identity provider made from the Okta app's metadata, the role users
 * assume through it (`Okta_Role`), the role's policies, and the provider ARN written back into the
 * Okta app (`settings.app.identityProviderArn`), which closes the circle app metadata → provider → app.
 */
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import { checkRegion, type Partition } from '../../core/regions.js';
import { BackoffTimeoutError, retryWithBackoff } from '../../core/retry.js';
import { actionFor, type StepOptions, type StepResultBase } from '../../core/step.js';
import { parseArn } from '../../providers/aws/arn.js';
import { isAwsError } from '../../providers/aws/call.js';
import { decodePolicyDocument, samePolicy } from '../../providers/aws/policy-document.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { send } from '../../providers/aws/send.js';
import { notOursError, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import { parseIdpMetadata } from '../../saml/metadata.js';
import {
  AWS_APP_NAME,
  getOktaApp,
  type OktaAppJson,
  replaceOktaApp,
  sessionDurationProblem,
} from '../okta-app/ensure.js';
import { attachedPolicies, findProvider, findRole, storedMetadata } from './read.js';

/** How long `CreateRole` / `UpdateAssumeRolePolicy` are retried while IAM has not propagated a new provider. */
export const DEFAULT_IAM_CONSISTENCY_TIMEOUT_MS = 120_000;

/** IAM's default (and minimum) `MaxSessionDuration` of a role. */
const DEFAULT_MAX_SESSION_DURATION = 3600;

// ---------------------------------------------------------------------------------------------------------
// Public types

/** Input of {@link linkIdentityProvider}. */
export interface LinkIdentityProviderInput extends StepOptions {
  /** The Okta `amazon_aws` app (`createOktaFederationApp`'s `appId`); its `identityProviderArn` is set. */
  appId: string;
  /**
   * The app's IdP metadata: the XML, or `createOktaFederationApp`'s `metadata` (anything with the `xml`
   * it was parsed from). The XML is parsed again here: the certificates compared are the XML's.
   */
  metadata:
    | string
    | {
        /** The IdP metadata XML document. */
        xml: string;
      };
  /** The IAM SAML provider's name. Default `Okta_Connect_Admin`. */
  providerName?: string;
  /** The IAM role users assume through the provider. Default `Okta_Role`. */
  roleName?: string;
  /**
   * The managed policies the role must have — at least the federation policy
   * (`createFederationPolicy`'s ARN). Missing ones are attached; policies attached by someone else and
   * named neither here nor in `oktaAccessPolicyArn` are left alone and reported in
   * `otherAttachedPolicyArns` (never detached: the step does not know what they are for).
   */
  policyArns: string[];
  /**
   * The ARN of the Okta access policy (`createOktaAccessPolicy`: `iam:ListRoles`,
   * `iam:ListAccountAliases`), which belongs to the Okta API user. Only used with
   * {@link LinkIdentityProviderInput.attachOktaAccessPolicyToRole}.
   */
  oktaAccessPolicyArn?: string;
  /**
   * The AWS guide attaches both its policies to the role. The role's users need only the federation
   * policy, so the default (false) is least privilege: the Okta access policy is not attached, and if
   * `oktaAccessPolicyArn` is given and attached to the role (an earlier run with `true`, or the guide
   * followed by hand), it is detached. `true` reproduces the guide: `oktaAccessPolicyArn` (then required)
   * is attached as well.
   */
  attachOktaAccessPolicyToRole?: boolean;
  /**
   * Trust sign-ins through the regional endpoint (`https://<region>.signin.aws.amazon.com/saml`) as well
   * as the global one: `SAML:aud` becomes a list of both. Default false (global only). The region is the
   * context's.
   */
  regionalSignIn?: boolean;
  /**
   * The session duration the Okta app asks for (900–43200 s): the role's `MaxSessionDuration` is raised
   * to it when lower (never lowered). Default: the role keeps IAM's 3600.
   */
  sessionDuration?: number;
  /**
   * Manage a provider or role with these names that carries no ownership tags of this stack: the tags
   * are added and the resource is converged. Default false (a `ConflictError`).
   */
  adopt?: boolean;
  /**
   * How long to retry `MalformedPolicyDocument: Invalid principal` while IAM propagates a new SAML
   * provider (it can take up to ~2 minutes). Default 120 000 ms.
   */
  iamConsistencyTimeoutMs?: number;
}

/** What {@link linkIdentityProvider} did (or, with `dryRun`, would do). */
export interface LinkIdentityProviderResult extends StepResultBase {
  /** The IAM SAML provider's ARN; undefined on a dry run that would create it. */
  providerArn: string | undefined;
  /** The role's ARN; undefined on a dry run that would create it. */
  roleArn: string | undefined;
  /** The role's name (the input's `roleName`, default `Okta_Role`). */
  roleName: string;
  /** The role's unique id (`AROA…`), the first half of the federated user's id; undefined when not yet created. */
  roleId: string | undefined;
  /** The input's `appId`: the Okta app whose `settings.app.identityProviderArn` the step sets. */
  appId: string;
  /** Policies attached to the role that the input does not name: reported, never detached. */
  otherAttachedPolicyArns: string[];
}

// ---------------------------------------------------------------------------------------------------------
// The trust policy (design §4)

/** The SAML sign-in endpoint(s) a role accepts as `SAML:aud`. */
export function samlAudiences(region: string, regionalSignIn: boolean): string[] {
  const check = checkRegion(region);
  const partition: Partition = check.ok ? check.partition : 'aws';
  const domain = partition === 'aws-us-gov' ? 'signin.amazonaws-us-gov.com' : 'signin.aws.amazon.com';
  const global = `https://${domain}/saml`;
  return regionalSignIn ? [global, `https://${region}.${domain}/saml`] : [global];
}

/** The role's trust policy: the provider may federate users through `sts:AssumeRoleWithSAML`. */
export function samlTrustPolicy(providerArn: string, audiences: readonly string[]): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithSAML',
        Condition: { StringEquals: { 'SAML:aud': audiences.length === 1 ? audiences[0] : [...audiences] } },
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Validation

const POLICY_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/;

interface ResolvedInput {
  appId: string;
  xml: string;
  certificates: Set<string>;
  entityId: string;
  providerName: string;
  roleName: string;
  policyArns: string[];
  /** A policy that must not be attached (the Okta access policy, least privilege). */
  unwantedPolicyArn: string | undefined;
  audiences: string[];
  sessionDuration: number | undefined;
  adopt: boolean;
  dryRun: boolean;
  consistencyTimeoutMs: number;
}

function validate(ctx: SsoContext, input: LinkIdentityProviderInput): ResolvedInput {
  if (typeof input !== 'object' || input === null) throw new ConfigError('input', 'expected an object');
  const issues: { field: string; message: string }[] = [];
  const issue = (field: string, message: string) => issues.push({ field, message });
  const {
    appId,
    metadata,
    providerName = 'Okta_Connect_Admin',
    roleName = 'Okta_Role',
    policyArns,
    oktaAccessPolicyArn,
    attachOktaAccessPolicyToRole = false,
    regionalSignIn = false,
    sessionDuration,
    iamConsistencyTimeoutMs = DEFAULT_IAM_CONSISTENCY_TIMEOUT_MS,
  } = input;

  if (typeof appId !== 'string' || !/^[A-Za-z0-9]{1,64}$/.test(appId)) {
    issue('appId', `expected an Okta app id such as '0oa1abcdEFGH2ijk3d7', got ${show(appId)}`);
  }
  let xml = '';
  let certificates = new Set<string>();
  let entityId = '';
  const text = typeof metadata === 'string' ? metadata : isRecord(metadata) ? metadata.xml : undefined;
  if (typeof text !== 'string') {
    issue('metadata', "expected the metadata XML, or createOktaFederationApp's metadata (with its xml)");
  } else {
    try {
      const parsed = parseIdpMetadata(text, 'metadata');
      xml = text;
      certificates = new Set(parsed.signingCertificates.map((c) => c.base64));
      entityId = parsed.entityId;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (typeof providerName !== 'string' || !/^[\w.-]{1,128}$/.test(providerName)) {
    issue('providerName', `must be 1–128 letters, digits or '_.-', got ${show(providerName)}`);
  }
  if (typeof roleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    issue('roleName', `must be 1–64 letters, digits or '_+=,.@-', got ${show(roleName)}`);
  }
  if (!Array.isArray(policyArns) || policyArns.length === 0) {
    issue('policyArns', 'at least one policy ARN is required (the federation policy)');
  } else {
    policyArns.forEach((arn, i) => {
      if (typeof arn !== 'string' || !POLICY_ARN.test(arn)) {
        issue(`policyArns[${i}]`, `expected an IAM managed policy ARN, got ${show(arn)}`);
      }
    });
  }
  if (
    oktaAccessPolicyArn !== undefined &&
    (typeof oktaAccessPolicyArn !== 'string' || !POLICY_ARN.test(oktaAccessPolicyArn))
  ) {
    issue('oktaAccessPolicyArn', `expected an IAM managed policy ARN, got ${show(oktaAccessPolicyArn)}`);
  }
  if (typeof attachOktaAccessPolicyToRole !== 'boolean') {
    issue('attachOktaAccessPolicyToRole', 'must be a boolean');
  } else if (attachOktaAccessPolicyToRole && oktaAccessPolicyArn === undefined) {
    issue('oktaAccessPolicyArn', 'is required when attachOktaAccessPolicyToRole is true');
  } else if (
    !attachOktaAccessPolicyToRole &&
    oktaAccessPolicyArn !== undefined &&
    Array.isArray(policyArns) &&
    policyArns.includes(oktaAccessPolicyArn)
  ) {
    issue(
      'policyArns',
      'names the Okta access policy while attachOktaAccessPolicyToRole is false; set it to true to attach that policy',
    );
  }
  if (sessionDuration !== undefined) {
    const problem = sessionDurationProblem(sessionDuration);
    if (problem) issue('sessionDuration', problem);
  }
  for (const flag of ['regionalSignIn', 'adopt', 'dryRun'] as const) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') issue(flag, 'must be a boolean');
  }
  if (regionalSignIn === true && !checkRegion(ctx.region).ok) {
    issue('regionalSignIn', `the context's region '${ctx.region}' has no regional sign-in endpoint`);
  }
  if (
    typeof iamConsistencyTimeoutMs !== 'number' ||
    !Number.isFinite(iamConsistencyTimeoutMs) ||
    iamConsistencyTimeoutMs < 0 ||
    iamConsistencyTimeoutMs > 900_000
  ) {
    issue(
      'iamConsistencyTimeoutMs',
      `must be a number of ms from 0 to 900000, got ${show(iamConsistencyTimeoutMs)}`,
    );
  }
  if (issues.length > 0) throw ConfigError.of(issues);

  const wanted = [
    ...new Set([
      ...policyArns,
      ...(attachOktaAccessPolicyToRole && oktaAccessPolicyArn ? [oktaAccessPolicyArn] : []),
    ]),
  ];
  return {
    appId,
    xml,
    certificates,
    entityId,
    providerName,
    roleName,
    policyArns: wanted,
    unwantedPolicyArn: attachOktaAccessPolicyToRole ? undefined : oktaAccessPolicyArn,
    audiences: samlAudiences(ctx.region, regionalSignIn === true),
    sessionDuration,
    adopt: input.adopt ?? false,
    dryRun: input.dryRun ?? false,
    consistencyTimeoutMs: iamConsistencyTimeoutMs,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const show = (v: unknown): string =>
  v === undefined || v === null ? 'unset' : typeof v === 'string' ? `'${v}'` : String(v);

// ---------------------------------------------------------------------------------------------------------
// Reads

/** A create refused because the entity exists: another run made it after our read ({@link onceMoreIfRaced}). */
async function raced<T>(resource: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (!isAwsError(error, 'EntityAlreadyExists')) throw error;
    throw new CreateRaceError(
      new ConflictError(
        resource,
        `IAM says ${resource} already exists, yet it was not there when this run looked: another run is ` +
          'creating it, or IAM has not caught up. Run again.',
        { cause: error },
      ),
    );
  }
}

const sameSet = (a: Set<string>, b: Set<string>): boolean =>
  a.size === b.size && [...a].every((x) => b.has(x));

/** A short, readable name for a certificate set: the first 8 hex digits of each SHA-256 fingerprint. */
function certificateNames(xml: string): string {
  try {
    return parseIdpMetadata(xml, 'metadata')
      .signingCertificates.map((c) => c.fingerprint256.replace(/:/g, '').slice(0, 8).toLowerCase())
      .join(', ');
  } catch {
    return 'unreadable';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Eventual consistency

function isInvalidPrincipal(error: unknown): boolean {
  return (
    isAwsError(error, 'MalformedPolicyDocument') && /invalid principal/i.test((error as Error).message ?? '')
  );
}

/** Run a trust-policy write, retrying while IAM does not yet know a newly created provider. */
async function withPrincipalRetry<T>(
  ctx: SsoContext,
  operation: string,
  timeoutMs: number,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await retryWithBackoff(
      async (attempt) => {
        if (attempt > 0)
          ctx.logger.debug(`iam ${operation}: retry ${attempt}, the SAML provider is not visible yet`);
        return write();
      },
      isInvalidPrincipal,
      { timeoutMs, clock: ctx.clock, signal: ctx.signal, initialDelayMs: 500, maxDelayMs: 10_000 },
    );
  } catch (error) {
    if (!(error instanceof BackoffTimeoutError)) throw error;
    const last = error.lastError instanceof ProviderError ? error.lastError : undefined;
    throw new ProviderError({
      service: 'iam',
      operation,
      message:
        `IAM still rejects the SAML provider as the role's principal after ${timeoutMs} ms ` +
        `(eventual consistency; run again later): ${last?.message ?? String(error.lastError)}`,
      providerCode: last?.providerCode ?? 'MalformedPolicyDocument',
      requestId: last?.requestId,
      httpStatus: last?.httpStatus,
      cause: error.lastError,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// The step

/**
 * Create or converge the IAM side of the federation and link it to the Okta app.
 *
 * 1. The IAM SAML provider `providerName`: created from the metadata (with the ownership tags), or its
 *    metadata replaced when its signing certificates (compared as sets of base64 DER, not as XML text)
 *    or its entity id differ from the app's — after a key rotation in Okta, say.
 * 2. The role `roleName` trusting the provider (design §4: `Principal.Federated`, `sts:AssumeRoleWithSAML`,
 *    `SAML:aud`), created with the ownership tags — `CreateRole` is retried with back-off while IAM
 *    answers `MalformedPolicyDocument: Invalid principal` for a provider it has not yet propagated — or its
 *    trust policy replaced when it says something else (compared semantically); `MaxSessionDuration`
 *    raised to `sessionDuration`.
 * 3. The policies: missing ones attached; the Okta access policy detached when not wanted (see
 *    {@link LinkIdentityProviderInput.attachOktaAccessPolicyToRole}); others left alone and reported.
 * 4. The Okta app's `settings.app.identityProviderArn` set to the provider ARN by a full-replace PUT of
 *    the fetched app (every other field, the Default Relay State included, is kept).
 *
 * Everything is read before anything is written; a second run with the same input makes no write.
 *
 * @throws {ConfigError} for invalid input (before any request), or an `appId` that is not an `amazon_aws` app.
 * @throws {ConflictError} when the provider or role exists without this stack's ownership tags and
 *   `adopt` is not set.
 * @throws {ProviderError} for AWS and Okta errors, including IAM still rejecting the provider as a
 *   principal after `iamConsistencyTimeoutMs`.
 */
export async function linkIdentityProvider(
  ctx: SsoContext,
  input: LinkIdentityProviderInput,
): Promise<LinkIdentityProviderResult> {
  const desired = validate(ctx, input);
  // Two runs at once: the one whose create is refused as a duplicate reads again and finds the other's.
  return onceMoreIfRaced(() => link(ctx, desired));
}

async function link(ctx: SsoContext, desired: ResolvedInput): Promise<LinkIdentityProviderResult> {
  const { providerName, roleName, dryRun } = desired;
  const resource = `iam saml-provider ${providerName} + iam role ${roleName}`;

  // ---- read
  const app = await getOktaApp(ctx, desired.appId);
  if (app.name !== AWS_APP_NAME) {
    throw new ConfigError('appId', `Okta app ${desired.appId} is a '${app.name}' app, not ${AWS_APP_NAME}`);
  }
  const provider = await findProvider(ctx, providerName);
  const role = await findRole(ctx, roleName);
  const attached = role ? await attachedPolicies(ctx, roleName) : [];

  // ---- diff
  const changes: string[] = [];
  let adoptProvider = false;
  let updateMetadata = false;
  if (!provider) {
    changes.push(
      `saml provider: create '${providerName}' (signing certificate ${certificateNames(desired.xml)})`,
    );
  } else {
    const owner = ownershipOf(ctx, provider.tags);
    if (owner !== 'ours') {
      if (!desired.adopt) {
        throw notOursError(
          ctx,
          `iam saml-provider ${provider.name}`,
          `The IAM SAML provider '${provider.name}'`,
          owner,
          provider.tags,
          'choose another providerName',
        );
      }
      adoptProvider = true;
      changes.push(`saml provider: ownership tags added (adopted '${provider.name}')`);
    }
    const stored = storedMetadata(provider.metadataXml);
    if (!sameSet(stored.certificates, desired.certificates) || stored.entityId !== desired.entityId) {
      updateMetadata = true;
      changes.push(
        stored.entityId !== desired.entityId
          ? `saml provider metadata: entity id ${show(stored.entityId)} → '${desired.entityId}'`
          : `saml provider metadata: signing certificate ${certificateNames(provider.metadataXml)} → ${certificateNames(desired.xml)}`,
      );
    }
  }

  // The provider ARN the trust policy must name: the existing one, or the one IAM will assign.
  const account = provider
    ? undefined
    : ((role?.Arn ? parseArn(role.Arn)?.accountId : undefined) ?? ctx.accountId);
  const partition = role?.Arn ? parseArn(role.Arn)?.partition : undefined;
  const predictedArn =
    provider?.arn ??
    (account ? `arn:${partition ?? 'aws'}:iam::${account}:saml-provider/${providerName}` : undefined);

  let adoptRole = false;
  let updateTrust = false;
  let raiseSession = false;
  if (!role) {
    changes.push(`role: create '${roleName}' trusting saml provider '${providerName}'`);
  } else {
    const owner = ownershipOf(ctx, role.Tags);
    if (owner !== 'ours') {
      if (!desired.adopt)
        throw notOursError(
          ctx,
          `iam role ${role.RoleName ?? roleName}`,
          `The IAM role '${role.RoleName ?? roleName}'`,
          owner,
          role.Tags,
          'choose another roleName',
        );
      adoptRole = true;
      changes.push(`role: ownership tags added (adopted '${roleName}')`);
    }
    const current = role.AssumeRolePolicyDocument
      ? decodePolicyDocument(role.AssumeRolePolicyDocument)
      : undefined;
    if (!predictedArn || !samePolicy(current ?? {}, samlTrustPolicy(predictedArn, desired.audiences))) {
      updateTrust = true;
      changes.push(
        `role trust policy: replaced by the SAML trust of '${providerName}' (SAML:aud ${desired.audiences.join(', ')})`,
      );
    }
    const max = role.MaxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION;
    if (desired.sessionDuration !== undefined && max < desired.sessionDuration) {
      raiseSession = true;
      changes.push(`role max session duration: ${max} → ${desired.sessionDuration}`);
    }
  }
  const toAttach = desired.policyArns.filter((arn) => !attached.includes(arn));
  for (const arn of toAttach) changes.push(`role policy: attach ${arn}`);
  const toDetach =
    desired.unwantedPolicyArn && attached.includes(desired.unwantedPolicyArn)
      ? desired.unwantedPolicyArn
      : undefined;
  if (toDetach)
    changes.push(`role policy: detach ${toDetach} (attachOktaAccessPolicyToRole is false: least privilege)`);
  const otherAttachedPolicyArns = attached.filter(
    (arn) => !desired.policyArns.includes(arn) && arn !== desired.unwantedPolicyArn,
  );
  if (otherAttachedPolicyArns.length > 0) {
    ctx.logger.warn(`iam role ${roleName} has policies this step does not manage (left attached)`, {
      policyArns: otherAttachedPolicyArns,
    });
  }

  const currentIdp = app.settings?.app?.identityProviderArn;
  const linked = (arn: string | undefined) =>
    arn !== undefined &&
    typeof currentIdp === 'string' &&
    currentIdp
      .split(',')
      .map((s) => s.trim())
      .includes(arn);
  if (!linked(predictedArn)) {
    changes.push(
      `okta app identityProviderArn: ${show(currentIdp)} → '${predictedArn ?? `<arn of ${providerName}>`}'`,
    );
  }

  const base = {
    resource,
    changes,
    dryRun,
    roleName,
    appId: desired.appId,
    otherAttachedPolicyArns,
    action: actionFor(provider !== undefined && role !== undefined, changes),
  };
  if (dryRun) {
    return { ...base, providerArn: provider?.arn, roleArn: role?.Arn, roleId: role?.RoleId };
  }

  // ---- apply
  let providerArn: string;
  if (!provider) {
    const created = await raced(`iam saml-provider ${providerName}`, () =>
      send(ctx, 'iam', 'CreateSAMLProvider', {
        Name: providerName,
        SAMLMetadataDocument: desired.xml,
        Tags: ownershipTags(ctx),
      }),
    );
    providerArn = created.SAMLProviderArn ?? '';
    ctx.logger.info(`created iam saml-provider ${providerName}`, { arn: providerArn });
  } else {
    providerArn = provider.arn;
    if (adoptProvider) {
      await send(ctx, 'iam', 'TagSAMLProvider', { SAMLProviderArn: providerArn, Tags: ownershipTags(ctx) });
      ctx.logger.info(`tagged iam saml-provider ${provider.name} (adopted)`, { arn: providerArn });
    }
    if (updateMetadata) {
      await send(ctx, 'iam', 'UpdateSAMLProvider', {
        SAMLProviderArn: providerArn,
        SAMLMetadataDocument: desired.xml,
      });
      ctx.logger.info(`updated iam saml-provider ${provider.name} metadata`, { arn: providerArn });
    }
  }

  const trust = JSON.stringify(samlTrustPolicy(providerArn, desired.audiences));
  let roleArn: string | undefined = role?.Arn;
  let roleId: string | undefined = role?.RoleId;
  if (!role) {
    const created = await withPrincipalRetry(ctx, 'CreateRole', desired.consistencyTimeoutMs, () =>
      raced(`iam role ${roleName}`, () =>
        send(ctx, 'iam', 'CreateRole', {
          RoleName: roleName,
          AssumeRolePolicyDocument: trust,
          Description: 'Okta SAML sign-in to Amazon Connect (connect-okta-sso)',
          MaxSessionDuration: Math.max(DEFAULT_MAX_SESSION_DURATION, desired.sessionDuration ?? 0),
          Tags: ownershipTags(ctx),
        }),
      ),
    );
    roleArn = created.Role?.Arn;
    roleId = created.Role?.RoleId;
    ctx.logger.info(`created iam role ${roleName}`, { arn: roleArn });
  } else {
    if (adoptRole) {
      await send(ctx, 'iam', 'TagRole', { RoleName: roleName, Tags: ownershipTags(ctx) });
      ctx.logger.info(`tagged iam role ${roleName} (adopted)`);
    }
    if (updateTrust) {
      await withPrincipalRetry(ctx, 'UpdateAssumeRolePolicy', desired.consistencyTimeoutMs, () =>
        send(ctx, 'iam', 'UpdateAssumeRolePolicy', { RoleName: roleName, PolicyDocument: trust }),
      );
      ctx.logger.info(`updated iam role ${roleName} trust policy`);
    }
    if (raiseSession && desired.sessionDuration !== undefined) {
      const duration = desired.sessionDuration;
      await send(ctx, 'iam', 'UpdateRole', { RoleName: roleName, MaxSessionDuration: duration });
      ctx.logger.info(`updated iam role ${roleName} max session duration to ${duration}`);
    }
  }
  for (const arn of toAttach) {
    await send(ctx, 'iam', 'AttachRolePolicy', { RoleName: roleName, PolicyArn: arn });
    ctx.logger.info(`attached ${arn} to iam role ${roleName}`);
  }
  if (toDetach) {
    await send(ctx, 'iam', 'DetachRolePolicy', { RoleName: roleName, PolicyArn: toDetach });
    ctx.logger.info(`detached ${toDetach} from iam role ${roleName}`);
  }

  if (!linked(providerArn)) {
    // GET again right before the full replace: keep whatever changed since the first read.
    const fresh: OktaAppJson = await getOktaApp(ctx, desired.appId);
    const settings = fresh.settings ?? {};
    const appSettings = settings.app ?? {};
    fresh.settings = { ...settings, app: { ...appSettings, identityProviderArn: providerArn } };
    await replaceOktaApp(ctx, fresh);
    ctx.logger.info(`set identityProviderArn of okta app ${fresh.label} (${fresh.id})`, { providerArn });
  }

  return { ...base, providerArn, roleArn, roleId };
}
