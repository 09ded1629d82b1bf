/**
 * Guide step 7: the IAM SAML identity provider made from the Okta app's metadata, the role users
 * assume through it (`Okta_Role`), the role's policies, and the provider ARN written back into the
 * Okta app (`settings.app.identityProviderArn`), which closes the circle app metadata → provider → app.
 */
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DetachRolePolicyCommand,
  TagRoleCommand,
  TagSAMLProviderCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  UpdateSAMLProviderCommand,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError, ProviderError } from '../../core/errors.js';
import { BackoffTimeoutError, retryWithBackoff } from '../../core/retry.js';
import { actionFor } from '../../core/step.js';
import { parseArn } from '../../providers/aws/arn.js';
import { awsCall, isAwsError } from '../../providers/aws/call.js';
import { decodePolicyDocument, samePolicy } from '../../providers/aws/policy-document.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { notOursError, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import { parseIdpMetadata } from '../../saml/metadata.js';
import { AWS_APP_NAME, getOktaApp, type OktaAppJson, replaceOktaApp } from '../okta-app/ensure.js';
import {
  DEFAULT_MAX_SESSION_DURATION,
  type LinkIdentityProviderInput,
  type LinkIdentityProviderResult,
  type ResolvedInput,
  show,
  validate,
} from './input.js';
import { attachedPolicies, findProvider, findRole, storedMetadata } from './read.js';
import { samlTrustPolicy } from './trust-policy.js';

export {
  DEFAULT_IAM_CONSISTENCY_TIMEOUT_MS,
  type LinkIdentityProviderInput,
  type LinkIdentityProviderResult,
} from './input.js';
export { samlAudiences, samlTrustPolicy } from './trust-policy.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

// ---------------------------------------------------------------------------------------------------------
// The trust policy (design §4)

// ---------------------------------------------------------------------------------------------------------
// Validation

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
      awsCall(ctx, 'iam', 'CreateSAMLProvider', (o) =>
        ctx.iam.send(
          new CreateSAMLProviderCommand({
            Name: providerName,
            SAMLMetadataDocument: desired.xml,
            Tags: ownershipTags(ctx),
          }),
          o,
        ),
      ),
    );
    providerArn = created.SAMLProviderArn ?? '';
    ctx.logger.info(`created iam saml-provider ${providerName}`, { arn: providerArn });
  } else {
    providerArn = provider.arn;
    if (adoptProvider) {
      await awsCall(ctx, 'iam', 'TagSAMLProvider', (o) =>
        ctx.iam.send(
          new TagSAMLProviderCommand({ SAMLProviderArn: providerArn, Tags: ownershipTags(ctx) }),
          o,
        ),
      );
      ctx.logger.info(`tagged iam saml-provider ${provider.name} (adopted)`, { arn: providerArn });
    }
    if (updateMetadata) {
      await awsCall(ctx, 'iam', 'UpdateSAMLProvider', (o) =>
        ctx.iam.send(
          new UpdateSAMLProviderCommand({ SAMLProviderArn: providerArn, SAMLMetadataDocument: desired.xml }),
          o,
        ),
      );
      ctx.logger.info(`updated iam saml-provider ${provider.name} metadata`, { arn: providerArn });
    }
  }

  const trust = JSON.stringify(samlTrustPolicy(providerArn, desired.audiences));
  let roleArn: string | undefined = role?.Arn;
  let roleId: string | undefined = role?.RoleId;
  if (!role) {
    const created = await withPrincipalRetry(ctx, 'CreateRole', desired.consistencyTimeoutMs, () =>
      raced(`iam role ${roleName}`, () =>
        awsCall(ctx, 'iam', 'CreateRole', (o) =>
          ctx.iam.send(
            new CreateRoleCommand({
              RoleName: roleName,
              AssumeRolePolicyDocument: trust,
              Description: 'Okta SAML sign-in to Amazon Connect (connect-okta-sso)',
              MaxSessionDuration: Math.max(DEFAULT_MAX_SESSION_DURATION, desired.sessionDuration ?? 0),
              Tags: ownershipTags(ctx),
            }),
            o,
          ),
        ),
      ),
    );
    roleArn = created.Role?.Arn;
    roleId = created.Role?.RoleId;
    ctx.logger.info(`created iam role ${roleName}`, { arn: roleArn });
  } else {
    if (adoptRole) {
      await awsCall(ctx, 'iam', 'TagRole', (o) =>
        ctx.iam.send(new TagRoleCommand({ RoleName: roleName, Tags: ownershipTags(ctx) }), o),
      );
      ctx.logger.info(`tagged iam role ${roleName} (adopted)`);
    }
    if (updateTrust) {
      await withPrincipalRetry(ctx, 'UpdateAssumeRolePolicy', desired.consistencyTimeoutMs, () =>
        awsCall(ctx, 'iam', 'UpdateAssumeRolePolicy', (o) =>
          ctx.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: trust }), o),
        ),
      );
      ctx.logger.info(`updated iam role ${roleName} trust policy`);
    }
    if (raiseSession && desired.sessionDuration !== undefined) {
      const duration = desired.sessionDuration;
      await awsCall(ctx, 'iam', 'UpdateRole', (o) =>
        ctx.iam.send(new UpdateRoleCommand({ RoleName: roleName, MaxSessionDuration: duration }), o),
      );
      ctx.logger.info(`updated iam role ${roleName} max session duration to ${duration}`);
    }
  }
  for (const arn of toAttach) {
    await awsCall(ctx, 'iam', 'AttachRolePolicy', (o) =>
      ctx.iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }), o),
    );
    ctx.logger.info(`attached ${arn} to iam role ${roleName}`);
  }
  if (toDetach) {
    await awsCall(ctx, 'iam', 'DetachRolePolicy', (o) =>
      ctx.iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: toDetach }), o),
    );
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
