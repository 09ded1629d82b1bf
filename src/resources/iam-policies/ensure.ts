/**
 * Guide steps 2 and 3: the customer managed IAM policies of the flow.
 *
 * - {@link createFederationPolicy}: lets the role Okta's users assume call `connect:GetFederationToken`
 *   for their own Connect user only (`<instance-arn>/user/${aws:userid}`).
 * - {@link createOktaAccessPolicy}: lets Okta's API integration list IAM roles and account aliases (it
 *   imports the SAML roles with it).
 *
 * Both find the policy by name, compare its default version's document by meaning (IAM returns it
 * URL-encoded, reorders nothing, and `"a"` means `["a"]`), create it with ownership tags when missing,
 * and repair drift with a new default version — deleting the oldest non-default version first when the
 * policy already has IAM's maximum of 5.
 */
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  type Policy,
  type PolicyVersion,
  TagPolicyCommand,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { ConfigError, ConflictError } from '../../core/errors.js';
import { checkRegion } from '../../core/regions.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import { parseArn } from '../../providers/aws/arn.js';
import { awsCall, awsPages, isAwsError, nextMarker } from '../../providers/aws/call.js';
import { samePolicy } from '../../providers/aws/policy-document.js';
import { CreateRaceError, onceMoreIfRaced } from '../../providers/aws/race.js';
import { notOursError, ownershipOf, ownershipTags } from '../../providers/aws/tags.js';
import { federationPolicyDocument, oktaAccessPolicyDocument, type PolicyDocument } from './documents.js';
import { checkInstanceArn, checkOptions, checkPolicyName, type Issue } from './input.js';
import { getPolicy } from './read.js';

export {
  federationPolicyDocument,
  oktaAccessPolicyDocument,
  type PolicyDocument,
  type PolicyStatement,
} from './documents.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

/** Options shared by the policy steps. */
export interface ManagedPolicyOptions extends StepOptions {
  /**
   * Take over a policy with this name that exists without our ownership tags (created by hand, or by
   * another stack): tag it as ours and manage its document. Default `false`: such a policy is a
   * {@link ConflictError}.
   */
  adopt?: boolean;
}

/** Input of {@link createFederationPolicy}. */
export interface FederationPolicyInput extends ManagedPolicyOptions {
  /**
   * The Connect instance ARN, `arn:aws:connect:<region>:<account-id>:instance/<instance-id>` (GovCloud:
   * `arn:aws-us-gov:…`) — `createSamlInstance`'s `instanceArn`, or `Instance.Arn` of `DescribeInstance`.
   * Not the bare instance id. The policy is created in the account of this ARN.
   */
  instanceArn: string;
  /** Default `okta_federation_policy` (the guide's name). */
  policyName?: string;
}

/** Input of {@link createOktaAccessPolicy}. */
export interface OktaAccessPolicyInput extends ManagedPolicyOptions {
  /** Default `okta_cli_policy` (the guide's name). */
  policyName?: string;
}

/** What a policy step did (or, with `dryRun`, would do). */
export interface ManagedPolicyResult extends StepResultBase {
  /** The policy's ARN; undefined on a `dryRun` that would create it. */
  policyArn: string | undefined;
  /** The policy's name (the input's, or the step's default). */
  policyName: string;
  /**
   * The default version after the step (`v1`, `v4`…); undefined on a `dryRun` that would create the
   * policy or a new version.
   */
  versionId: string | undefined;
  /** The desired document (the policy's default version says this after the step). */
  document: PolicyDocument;
}

// ---------------------------------------------------------------------------------------------------------
// The two steps

/**
 * Guide step 2: the policy that lets federated users get a Connect federation token for their own
 * Connect user (`connect:GetFederationToken` on `<instanceArn>/user/${aws:userid}`).
 *
 * @throws {ConfigError} `instanceArn` is not a Connect instance ARN, or a bad option — before any call.
 * @throws {ConflictError} a policy with the name exists without our ownership tags (and `adopt` is not set).
 * @throws {ProviderError} an IAM call failed.
 */
export async function createFederationPolicy(
  ctx: SsoContext,
  input: FederationPolicyInput,
): Promise<ManagedPolicyResult> {
  const issues: Issue[] = [];
  const arn = checkInstanceArn(input?.instanceArn, issues);
  const policyName = checkPolicyName(input?.policyName, 'okta_federation_policy', issues);
  checkOptions(input, issues);
  if (arn && ctx.accountId && ctx.accountId !== arn.accountId) {
    issues.push({
      field: 'instanceArn',
      message: `the instance is in account ${arn.accountId}, but the context is for account ${ctx.accountId}`,
    });
  }
  if (issues.length > 0 || !arn) throw ConfigError.of(issues);
  return ensureManagedPolicy(ctx, {
    name: policyName,
    document: federationPolicyDocument(input.instanceArn),
    description: 'Amazon Connect federation for Okta users: connect:GetFederationToken on their own user',
    adopt: input.adopt === true,
    dryRun: input.dryRun === true,
    account: { partition: arn.partition, accountId: arn.accountId },
  });
}

/**
 * Guide step 3: the policy Okta's API integration uses to import IAM roles (`iam:ListRoles`,
 * `iam:ListAccountAliases` on `*`).
 *
 * @throws {ConfigError} a bad option — before any call.
 * @throws {ConflictError} a policy with the name exists without our ownership tags (and `adopt` is not set).
 * @throws {ProviderError} an IAM call failed.
 */
export async function createOktaAccessPolicy(
  ctx: SsoContext,
  input: OktaAccessPolicyInput = {},
): Promise<ManagedPolicyResult> {
  const issues: Issue[] = [];
  const policyName = checkPolicyName(input?.policyName, 'okta_cli_policy', issues);
  checkOptions(input, issues);
  if (issues.length > 0) throw ConfigError.of(issues);
  return ensureManagedPolicy(ctx, {
    name: policyName,
    document: oktaAccessPolicyDocument(),
    description: 'Okta AWS Account Federation app: list IAM roles and account aliases to import SAML roles',
    adopt: input.adopt === true,
    dryRun: input.dryRun === true,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Validation

// ---------------------------------------------------------------------------------------------------------
// The shared engine

/** Where IAM ARNs of this context's account start: `arn:<partition>:iam::<account>:`. */
interface AccountRef {
  partition: string;
  accountId: string;
}

/**
 * The account of each context, once an IAM answer proved it. The policy ARN needs it; IAM has no
 * "get policy by name", so without it we would have to page through every local policy.
 */
const accounts = new WeakMap<SsoContext, AccountRef>();

function rememberAccount(ctx: SsoContext, arn: string | undefined): void {
  const parsed = arn ? parseArn(arn) : undefined;
  if (parsed?.accountId && !accounts.has(ctx)) {
    accounts.set(ctx, { partition: parsed.partition, accountId: parsed.accountId });
  }
}

/**
 * The account (and partition) of the context's credentials, for building policy ARNs.
 *
 * Order: `ctx.accountId`; the cache; one `ListPolicies Scope=Local MaxItems=1` (any customer managed
 * policy's ARN names the account). That call works for every kind of caller — IAM user, role session
 * (SSO, assumed role) or root — whereas `GetUser` without a name fails for role sessions, and the context
 * has no STS client. `undefined` means the account has no customer managed policy at all: then ours
 * does not exist either, and `CreatePolicy`'s answer tells the account.
 */
async function discoverAccount(ctx: SsoContext): Promise<AccountRef | undefined> {
  if (ctx.accountId) {
    const region = checkRegion(ctx.region);
    return { partition: region.ok ? region.partition : 'aws', accountId: ctx.accountId };
  }
  const cached = accounts.get(ctx);
  if (cached) return cached;
  const page = await awsCall(ctx, 'iam', 'ListPolicies', (o) =>
    ctx.iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1 }), o),
  );
  rememberAccount(ctx, page.Policies?.[0]?.Arn);
  return accounts.get(ctx);
}

/** @internal What {@link ensureManagedPolicy} needs. */
interface EnsurePolicyInput {
  name: string;
  document: PolicyDocument;
  /** Set at creation only (IAM cannot change a policy's description). */
  description: string;
  adopt: boolean;
  dryRun: boolean;
  /** The account, when the input names it (the federation policy's instance ARN). */
  account?: AccountRef;
}

const MAX_POLICY_VERSIONS = 5;

/**
 * Find a customer managed policy (path `/`) by name, and create or repair it: read → diff → apply.
 * @internal shared by the policy steps.
 */
async function ensureManagedPolicy(ctx: SsoContext, input: EnsurePolicyInput): Promise<ManagedPolicyResult> {
  return onceMoreIfRaced(() => ensureManagedPolicyOnce(ctx, input));
}

async function ensureManagedPolicyOnce(
  ctx: SsoContext,
  input: EnsurePolicyInput,
): Promise<ManagedPolicyResult> {
  const { name, document, adopt, dryRun } = input;
  const resource = `iam policy ${name}`;
  const result = (
    fields: Pick<ManagedPolicyResult, 'action' | 'changes' | 'policyArn' | 'versionId'>,
  ): ManagedPolicyResult => ({ resource, dryRun, policyName: name, document, ...fields });

  // Read
  const account = input.account ?? (await discoverAccount(ctx));
  const policyArn = account ? `arn:${account.partition}:iam::${account.accountId}:policy/${name}` : undefined;
  const policy = policyArn ? await getPolicy(ctx, policyArn) : undefined;

  if (!policy) {
    const changes = [`create policy ${name}`];
    if (dryRun) return result({ action: 'created', changes, policyArn: undefined, versionId: undefined });
    const created = await createPolicy(ctx, input);
    rememberAccount(ctx, created.Arn);
    ctx.logger.info(`created ${resource}`, { policyArn: created.Arn });
    return result({
      action: 'created',
      changes,
      policyArn: created.Arn,
      versionId: created.DefaultVersionId ?? 'v1',
    });
  }
  const arn = policy.Arn ?? (policyArn as string);
  rememberAccount(ctx, arn);

  // Diff
  const changes: string[] = [];
  const ownership = ownershipOf(ctx, policy.Tags);
  if (ownership !== 'ours') {
    if (!adopt) throw notOursError(ctx, resource, `${resource} (${arn})`, ownership, policy.Tags);
    changes.push(`tag ${resource} as managed by stack '${ctx.stack}' (adopt)`);
  }
  const defaultVersionId = policy.DefaultVersionId ?? 'v1';
  const current = await awsCall(ctx, 'iam', 'GetPolicyVersion', (o) =>
    ctx.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultVersionId }), o),
  );
  const documentDiffers = !sameDocument(current.PolicyVersion?.Document, document);
  let prune: PolicyVersion | undefined;
  if (documentDiffers) {
    changes.push(`document: default version ${defaultVersionId} differs from the desired document`);
    prune = await versionToPrune(ctx, arn);
    if (prune?.VersionId) {
      changes.push(
        `delete oldest non-default version ${prune.VersionId} (a policy keeps at most ${MAX_POLICY_VERSIONS})`,
      );
    }
    changes.push('create a new default version with the desired document');
  }
  const action = changes.length > 0 ? 'updated' : 'unchanged';
  if (dryRun || changes.length === 0) {
    return result({
      action,
      changes,
      policyArn: arn,
      versionId: documentDiffers ? undefined : defaultVersionId,
    });
  }

  // Apply
  if (ownership !== 'ours') {
    await awsCall(ctx, 'iam', 'TagPolicy', (o) =>
      ctx.iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: ownershipTags(ctx) }), o),
    );
    ctx.logger.info(`adopted ${resource}`, { policyArn: arn, stack: ctx.stack });
  }
  let versionId = defaultVersionId;
  if (documentDiffers) {
    const pruneId = prune?.VersionId;
    if (pruneId) {
      await awsCall(ctx, 'iam', 'DeletePolicyVersion', (o) =>
        ctx.iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: pruneId }), o),
      );
      ctx.logger.info(`deleted version ${pruneId} of ${resource}`, { policyArn: arn });
    }
    const created = await awsCall(ctx, 'iam', 'CreatePolicyVersion', (o) =>
      ctx.iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: arn,
          PolicyDocument: JSON.stringify(document),
          SetAsDefault: true,
        }),
        o,
      ),
    );
    versionId = created.PolicyVersion?.VersionId ?? versionId;
    ctx.logger.info(`updated ${resource}: new default version ${versionId}`, { policyArn: arn });
  }
  return result({ action, changes, policyArn: arn, versionId });
}

async function createPolicy(ctx: SsoContext, input: EnsurePolicyInput): Promise<Policy> {
  try {
    const out = await awsCall(ctx, 'iam', 'CreatePolicy', (o) =>
      ctx.iam.send(
        new CreatePolicyCommand({
          PolicyName: input.name,
          PolicyDocument: JSON.stringify(input.document),
          Description: input.description,
          Tags: ownershipTags(ctx),
        }),
        o,
      ),
    );
    return out.Policy ?? {};
  } catch (error) {
    if (isAwsError(error, 'EntityAlreadyExists')) {
      // Usually another run created it a moment ago: ensureManagedPolicy reads again and finds it.
      throw new CreateRaceError(
        new ConflictError(
          `iam policy ${input.name}`,
          `IAM says a policy named ${input.name} already exists, but it is not at path '/' of the account ` +
            `this run looked in${input.account ? ` (${input.account.accountId}, from instanceArn)` : ''}: ` +
            'it may live under another path, the credentials may be for another account than the instance, ' +
            'or another run created it a moment ago. Check with `aws iam list-policies --scope Local`, ' +
            'then rename, delete or re-run.',
          { cause: error },
        ),
      );
    }
    throw error;
  }
}

function sameDocument(text: string | undefined, desired: PolicyDocument): boolean {
  if (text === undefined) return false;
  try {
    return samePolicy(text, desired);
  } catch {
    // Not JSON we can read: treat as different, the new version replaces it.
    return false;
  }
}

/** The oldest non-default version, when the policy is at the version limit; else undefined. */
async function versionToPrune(ctx: SsoContext, policyArn: string): Promise<PolicyVersion | undefined> {
  const versions: PolicyVersion[] = [];
  const pages = awsPages(
    ctx,
    'iam',
    'ListPolicyVersions',
    (marker, o) =>
      ctx.iam.send(
        new ListPolicyVersionsCommand({ PolicyArn: policyArn, ...(marker ? { Marker: marker } : {}) }),
        o,
      ),
    nextMarker,
  );
  for await (const page of pages) versions.push(...(page.Versions ?? []));
  if (versions.length < MAX_POLICY_VERSIONS) return undefined;
  const versionNumber = (v: PolicyVersion) => Number(/^v(\d+)$/.exec(v.VersionId ?? '')?.[1] ?? Infinity);
  return versions
    .filter((v) => v.IsDefaultVersion !== true)
    .sort(
      (a, b) =>
        (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0) ||
        versionNumber(a) - versionNumber(b),
    )[0];
}
