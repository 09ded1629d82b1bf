/**
 * `doctor`: read the live setup and check every link between Okta, IAM and Connect that a sign-in
 * crosses — the instance, the federation policy, each app's SAML provider, certificate, role and trust,
 * the Okta app's provider ARN and relay state, the role import or group mapping, and every configured
 * user — and say for each what is wrong and exactly how to fix it.
 *
 * Read-only: it makes only `Get…`, `List…`, `Describe…` calls (Okta: GETs). A resource that is missing
 * gets one `fail` finding ("run provision"); the checks that need it are then not reported.
 */
import { DescribeInstanceCommand, ListTagsForResourceCommand } from '@aws-sdk/client-connect';
import {
  type AttachedPolicy,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetSAMLProviderCommand,
  GetUserCommand,
  ListAttachedRolePoliciesCommand,
  ListPoliciesCommand,
  ListSAMLProvidersCommand,
  type Policy,
  type Role,
} from '@aws-sdk/client-iam';
import type { ConnectSsoConfig, ResolvedApp, ResolvedConfig, ResolvedUser } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { parseArn } from '../../providers/aws/arn.js';
import { awsCall, awsPages, isAwsError, nextMarker } from '../../providers/aws/call.js';
import { decodePolicyDocument } from '../../providers/aws/policy-document.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import { findInstanceByAlias } from '../../resources/connect-instance/ensure.js';
import {
  appOwnership,
  fetchAppMetadata,
  findAppsByLabel,
  type OktaAppJson,
  ownershipMarker,
  relayStateProblem,
} from '../../resources/okta-app/ensure.js';
import { buildRelayState } from '../../resources/okta-app/relay-state.js';
import {
  findOktaGroups,
  groupNameFor,
  listGroupMembers,
  samlRoleForGroup,
} from '../../resources/okta-groups/ensure.js';
import { samlAudiences } from '../../resources/saml-provider-role/ensure.js';
import {
  type ConnectUserIndex,
  caseVariantsOf,
  listConnectUsers,
} from '../../resources/users/connect-user.js';
import { parseIdpMetadata, type SigningCertificate } from '../../saml/metadata.js';
import { contextForConfig, resolveConfigInput } from '../config-context.js';

// ---------------------------------------------------------------------------------------------------------
// Public types

/** How a check came out: `ok`; `warn` (sign-in works, but something needs attention); `fail` (it breaks sign-in). */
export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** The outcome of one check of one resource. */
export interface DoctorFinding {
  /**
   * The check's stable id, e.g. `instance.active`, `provider.certificate`, `user.connect`. The same
   * check of several resources (one per app, one per user) has one id; `resource` tells them apart.
   */
  check: string;
  /** The resource checked, e.g. `iam role Okta_Role`, `okta app "Amazon Connect CCP"`, `user jane@acme.com`. */
  resource: string;
  /** `ok`: the link holds; `warn`: it holds but will not for long (or is unusual); `fail`: sign-in breaks here. */
  status: DoctorStatus;
  /** What was found, with the values involved. */
  message: string;
  /** For `warn` and `fail`: exactly what to do (a console path, or "run provision" / "run rotateSigningCertificate"). */
  fix?: string;
}

/** Options of {@link doctor}. */
export interface DoctorOptions {
  /**
   * The clients to read with. Default: built from the config (`createContext` with its region and Okta
   * token). Its `stack` is replaced by the config's (ownership is judged against the config's stack).
   */
  context?: SsoContext;
  /** "Now", for certificate expiry. Default: the context clock's now. */
  now?: Date;
  /** A signing certificate expiring within this many days is a `warn`. Default 30. */
  expiryWarningDays?: number;
}

/** What {@link doctor} found. */
export interface DoctorReport {
  /** No finding is `fail` (warnings allowed). */
  ok: boolean;
  /** Every finding, in check order: instance, policies, then each app (app, provider, role, users). */
  findings: DoctorFinding[];
  /** How many findings of each status. */
  summary: Record<DoctorStatus, number>;
}

// ---------------------------------------------------------------------------------------------------------
// Fix texts

const RUN_PROVISION = 'Run provision (provisionConnectSso) with this config';
const RUN_ROTATE = 'Run rotateSigningCertificate with this config';
const OKTA_APPS = 'In the Okta admin console, Applications → Applications';

const appPath = (label: string) => `${OKTA_APPS} → "${label}"`;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');
const quote = (v: unknown): string =>
  v === undefined || v === null || v === '' ? '(unset)' : `'${String(v)}'`;
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isNotFound = (error: unknown): boolean => isOktaError(error, 'E0000007') || isOktaError(error, 404);

/** IAM's `*` / `?` wildcards (as in `Action` and `Resource`), case-sensitive unless told otherwise. */
function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** Whether an `Action` list allows `action` (actions compare without case). */
function actionsCover(actions: unknown, action: string): boolean {
  return strings(actions).some((a) => globMatches(a, action, true));
}

/** A short name for a certificate: the first 8 hex digits of its SHA-256 fingerprint, and its expiry. */
function certName(cert: { fingerprint256: string; notAfter: Date }): string {
  return `${cert.fingerprint256.replace(/:/g, '').slice(0, 8).toLowerCase()} (expires ${cert.notAfter.toISOString().slice(0, 10)})`;
}

interface OktaKey {
  kid: string;
  created?: string;
  x5c?: string[];
}

// ---------------------------------------------------------------------------------------------------------
// The run

interface Run {
  ctx: SsoContext;
  config: ResolvedConfig;
  now: Date;
  warnDays: number;
  findings: DoctorFinding[];
  instance: { id: string; arn: string; status: string } | undefined;
  accountId: string | undefined;
  federationPolicyArn: string | undefined;
  /** SAML providers by lower-cased name (IAM names ignore case). */
  providers: Map<string, string> | undefined;
  connectUsers: ConnectUserIndex | undefined;
}

function add(
  run: Run,
  check: string,
  resource: string,
  status: DoctorStatus,
  message: string,
  fix?: string,
): void {
  run.findings.push({
    check,
    resource,
    status,
    message,
    ...(fix !== undefined && status !== 'ok' ? { fix } : {}),
  });
}

/**
 * Run a group of reads and checks; a read that fails (access denied, throttled…) becomes one `fail`
 * finding of `check` instead of ending the doctor. An abort ends it.
 */
async function guard(run: Run, check: string, resource: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (run.ctx.signal?.aborted) throw run.ctx.signal.reason;
    add(
      run,
      check,
      resource,
      'fail',
      `could not check: ${errorMessage(error)}`,
      'Check that the credentials can read this resource (the doctor needs the IAM, Connect and Okta read permissions provision uses), then run doctor again.',
    );
  }
}

function expectedArn(run: Run, service: 'iam', resource: string): string | undefined {
  return run.accountId ? `arn:${run.config.partition}:${service}::${run.accountId}:${resource}` : undefined;
}

function learnAccount(run: Run, arn: string | undefined): void {
  const account = arn ? parseArn(arn)?.accountId : undefined;
  if (account && !run.accountId) run.accountId = account;
}

function ownershipFinding(
  run: Run,
  check: string,
  resource: string,
  tags: Parameters<typeof ownershipOf>[1],
  subject: string,
  nameField: string,
): void {
  const owner = ownershipOf(run.ctx, tags);
  if (owner === 'ours') {
    add(run, check, resource, 'ok', `tagged as stack '${run.ctx.stack}'`);
    return;
  }
  add(
    run,
    check,
    resource,
    'warn',
    `${subject} ${ownerDescription(run.ctx, owner, tags)}: provision refuses to change it`,
    `If it is this setup's, run provision with adopt: true (it adds the ownership tags); otherwise choose another ${nameField} in the config.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// The instance

async function checkInstance(run: Run): Promise<void> {
  const { ctx, config } = run;
  const alias = config.instance.alias;
  const resource = `connect instance ${alias}`;
  await guard(run, 'instance.exists', resource, async () => {
    const found = await findInstanceByAlias(ctx, alias);
    if (!found?.Id || !found.Arn) {
      add(
        run,
        'instance.exists',
        resource,
        'fail',
        `no Connect instance with alias '${alias}' in ${config.region}`,
        `${RUN_PROVISION} (it creates the instance), or correct instance.alias / region in the config.`,
      );
      return;
    }
    run.instance = { id: found.Id, arn: found.Arn, status: found.InstanceStatus ?? 'UNKNOWN' };
    learnAccount(run, found.Arn);
    add(run, 'instance.exists', resource, 'ok', `${found.Id} (${found.Arn})`);

    const status = found.InstanceStatus;
    if (status === 'ACTIVE') add(run, 'instance.active', resource, 'ok', 'ACTIVE');
    else if (status === 'CREATION_IN_PROGRESS') {
      add(
        run,
        'instance.active',
        resource,
        'warn',
        'still CREATION_IN_PROGRESS: users cannot sign in and no Connect user can be created yet',
        `Wait a minute or two, then run provision again (it waits for ACTIVE and creates the users).`,
      );
    } else {
      let reason: string | undefined;
      if (status === 'CREATION_FAILED') {
        const { Instance } = await awsCall(ctx, 'connect', 'DescribeInstance', (o) =>
          ctx.connect.send(new DescribeInstanceCommand({ InstanceId: found.Id }), o),
        );
        reason = Instance?.StatusReason?.Message;
      }
      add(
        run,
        'instance.active',
        resource,
        'fail',
        `is ${status ?? 'in an unknown state'}${reason ? `: ${reason}` : ''}`,
        `Delete the instance in the Amazon Connect console (Instances → ${alias} → Remove), then run provision again to create it (or choose another instance.alias).`,
      );
    }

    if (found.IdentityManagementType === 'SAML') {
      add(run, 'instance.identity', resource, 'ok', 'identity management: SAML 2.0');
    } else {
      add(
        run,
        'instance.identity',
        resource,
        'fail',
        `identity management is ${found.IdentityManagementType ?? 'unknown'}, not SAML: Okta sign-in cannot work with it`,
        'The identity management of an instance can never change: choose another instance.alias so that provision creates a SAML instance (and remove this one in the Amazon Connect console if it is unused).',
      );
    }

    const { tags } = await awsCall(ctx, 'connect', 'ListTagsForResource', (o) =>
      ctx.connect.send(new ListTagsForResourceCommand({ resourceArn: found.Arn }), o),
    );
    ownershipFinding(run, 'instance.ownership', resource, tags ?? {}, 'The instance', 'instance.alias');
  });
}

// ---------------------------------------------------------------------------------------------------------
// Managed policies and the Okta API user

async function findPolicy(run: Run, name: string): Promise<Policy | undefined> {
  const { ctx } = run;
  const arn = expectedArn(run, 'iam', `policy/${name}`);
  if (arn) {
    try {
      const { Policy: policy } = await awsCall(ctx, 'iam', 'GetPolicy', (o) =>
        ctx.iam.send(new GetPolicyCommand({ PolicyArn: arn }), o),
      );
      return policy;
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity')) return undefined;
      throw error;
    }
  }
  // The account is unknown (no instance): find the policy by name among the account's own policies.
  const pages = awsPages(
    ctx,
    'iam',
    'ListPolicies',
    (marker, o) =>
      ctx.iam.send(new ListPoliciesCommand({ Scope: 'Local', ...(marker ? { Marker: marker } : {}) }), o),
    nextMarker,
  );
  for await (const page of pages) {
    const found = page.Policies?.find((p) => p.PolicyName?.toLowerCase() === name.toLowerCase());
    if (found?.Arn) {
      learnAccount(run, found.Arn);
      const { Policy: policy } = await awsCall(ctx, 'iam', 'GetPolicy', (o) =>
        ctx.iam.send(new GetPolicyCommand({ PolicyArn: found.Arn }), o),
      );
      return policy;
    }
  }
  return undefined;
}

async function policyDocument(ctx: SsoContext, policy: Policy): Promise<unknown> {
  const { PolicyVersion } = await awsCall(ctx, 'iam', 'GetPolicyVersion', (o) =>
    ctx.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }),
      o,
    ),
  );
  return PolicyVersion?.Document ? decodePolicyDocument(PolicyVersion.Document) : {};
}

const INSTANCE_ARN_IN = /arn:[\w-]+:connect:([\w-]*):(\d{12}):instance\/([^/\s"]+)/;

/** What is wrong with the federation policy's grant, or undefined when it names the expected resource. */
function federationGrant(
  document: unknown,
  expected: string,
  instanceArn: string,
): { status: DoctorStatus; message: string } {
  const statements = list(isObject(document) ? document.Statement : undefined).filter(isObject);
  const grants = statements.filter(
    (s) => s.Effect === 'Allow' && actionsCover(s.Action, 'connect:GetFederationToken'),
  );
  const resources = grants.flatMap((s) => strings(s.Resource));
  if (resources.includes(expected))
    return { status: 'ok', message: `allows connect:GetFederationToken on ${expected}` };
  const broad = resources.find((r) => globMatches(r, expected));
  if (broad) {
    return {
      status: 'warn',
      message: `allows connect:GetFederationToken on '${broad}', wider than this instance's own users (${expected})`,
    };
  }
  if (grants.length === 0) {
    return {
      status: 'fail',
      message: 'allows no connect:GetFederationToken: every sign-in is refused by Connect',
    };
  }
  const problems = resources.map((r) => {
    const m = INSTANCE_ARN_IN.exec(r);
    if (m && !r.startsWith(`${instanceArn}/`) && r !== instanceArn) {
      return `'${r}' names instance ${m[3]} (${m[1]}, account ${m[2]}), not this instance (${instanceArn}) — was the instance re-created?`;
    }
    if (r.startsWith(instanceArn)) {
      return `'${r}' names this instance but not its users as '/user/\${aws:userid}'`;
    }
    return `'${r}' is not this instance's users`;
  });
  return {
    status: 'fail',
    message: `the resource must be ${expected}, but ${problems.join('; ')}`,
  };
}

async function checkFederationPolicy(run: Run): Promise<void> {
  const { ctx, config } = run;
  const name = config.names.federationPolicy;
  const resource = `iam policy ${name}`;
  await guard(run, 'federation-policy.exists', resource, async () => {
    const policy = await findPolicy(run, name);
    if (!policy?.Arn) {
      add(
        run,
        'federation-policy.exists',
        resource,
        'fail',
        `no customer managed policy named '${name}'`,
        `${RUN_PROVISION} (it creates the policy and attaches it to each app's role).`,
      );
      run.federationPolicyArn = expectedArn(run, 'iam', `policy/${name}`);
      return;
    }
    run.federationPolicyArn = policy.Arn;
    add(run, 'federation-policy.exists', resource, 'ok', policy.Arn);
    ownershipFinding(
      run,
      'federation-policy.ownership',
      resource,
      policy.Tags ?? [],
      'The policy',
      'names.federationPolicy',
    );
    if (!run.instance) return;
    const expected = `${run.instance.arn}/user/\${aws:userid}`;
    const grant = federationGrant(await policyDocument(ctx, policy), expected, run.instance.arn);
    add(
      run,
      'federation-policy.resource',
      resource,
      grant.status,
      grant.message,
      grant.status === 'warn'
        ? `Narrow the resource to ${expected}: run provision (it writes a new default policy version).`
        : `${RUN_PROVISION} (it writes a new default version with the resource ${expected}), or in the IAM console → Policies → ${name} → Edit, set the Resource of connect:GetFederationToken to ${expected}.`,
    );
  });
}

/** api-integration mode: the Okta access policy and the API user are ours (reported only when they exist). */
async function checkOktaApiResources(run: Run): Promise<void> {
  const { ctx, config } = run;
  const policyName = config.names.oktaAccessPolicy;
  await guard(run, 'okta-access-policy.ownership', `iam policy ${policyName}`, async () => {
    const policy = await findPolicy(run, policyName);
    if (policy) {
      ownershipFinding(
        run,
        'okta-access-policy.ownership',
        `iam policy ${policyName}`,
        policy.Tags ?? [],
        'The policy',
        'names.oktaAccessPolicy',
      );
    }
  });
  const userName = config.names.oktaApiUser;
  await guard(run, 'okta-api-user.ownership', `iam user ${userName}`, async () => {
    try {
      const { User } = await awsCall(ctx, 'iam', 'GetUser', (o) =>
        ctx.iam.send(new GetUserCommand({ UserName: userName }), o),
      );
      learnAccount(run, User?.Arn);
      ownershipFinding(
        run,
        'okta-api-user.ownership',
        `iam user ${userName}`,
        User?.Tags ?? [],
        'The user',
        'names.oktaApiUser',
      );
    } catch (error) {
      if (!isAwsError(error, 'NoSuchEntity')) throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// One app

interface AppRun {
  app: ResolvedApp;
  appRes: string;
  okta: OktaAppJson | undefined;
  providerArn: string | undefined;
  /** The provider's ARN, or the one IAM would give it. */
  expectedProviderArn: string | undefined;
  role: Role | undefined;
  expectedRoleArn: string | undefined;
}

async function checkOktaApp(run: Run, a: AppRun): Promise<void> {
  const { app, appRes } = a;
  await guard(run, 'app.exists', appRes, async () => {
    const found = await findAppsByLabel(run.ctx, app.label);
    if (found.length === 0) {
      add(
        run,
        'app.exists',
        appRes,
        'fail',
        `no Okta AWS Account Federation (amazon_aws) app labelled "${app.label}"`,
        `${RUN_PROVISION} (it creates the app), or correct apps[].label in the config.`,
      );
      return;
    }
    if (found.length > 1) {
      add(
        run,
        'app.exists',
        appRes,
        'fail',
        `${found.length} amazon_aws apps are labelled "${app.label}" (${found.map((f) => `${f.id} ${f.status}`).join(', ')}): the label is how this setup finds its app`,
        `${OKTA_APPS}: rename or delete all but one of them, then run provision.`,
      );
      return;
    }
    const okta = found[0] as OktaAppJson;
    a.okta = okta;
    add(run, 'app.exists', appRes, 'ok', `${okta.id}`);
    const owner = appOwnership(run.ctx, okta);
    add(
      run,
      'app.ownership',
      appRes,
      owner.owner === 'ours' ? 'ok' : 'warn',
      owner.owner === 'ours'
        ? `admin notes carry '${ownershipMarker(run.ctx.stack)}'`
        : owner.owner === 'other-stack'
          ? `belongs to stack ${owner.stacks.map((s) => `'${s}'`).join(', ')}, not '${run.ctx.stack}': provision refuses to change it`
          : 'was not created by connect-okta-sso (its admin notes carry no ownership marker): provision refuses to change it',
      `If it is this setup's, run provision with adopt: true (it adds '${ownershipMarker(run.ctx.stack)}' to the app's admin notes); otherwise choose another apps[].label.`,
    );
    if (okta.status === 'ACTIVE') add(run, 'app.active', appRes, 'ok', 'ACTIVE');
    else {
      add(
        run,
        'app.active',
        appRes,
        'fail',
        `is ${okta.status}: Okta shows it to no one and signs no SAML response`,
        `${appPath(app.label)} → General → Activate (or run provision, which activates it).`,
      );
    }
  });
}

async function checkProviderAndCertificate(run: Run, a: AppRun): Promise<void> {
  const { ctx } = run;
  const { app } = a;
  const resource = `iam saml-provider ${app.providerName}`;
  await guard(run, 'provider.exists', resource, async () => {
    if (!run.providers) {
      const listed = await awsCall(ctx, 'iam', 'ListSAMLProviders', (o) =>
        ctx.iam.send(new ListSAMLProvidersCommand({}), o),
      );
      run.providers = new Map();
      for (const p of listed.SAMLProviderList ?? []) {
        const name = p.Arn?.split(':saml-provider/')[1];
        if (p.Arn && name) run.providers.set(name.toLowerCase(), p.Arn);
        learnAccount(run, p.Arn);
      }
    }
    const arn = run.providers.get(app.providerName.toLowerCase());
    a.expectedProviderArn = arn ?? expectedArn(run, 'iam', `saml-provider/${app.providerName}`);
    if (!arn) {
      add(
        run,
        'provider.exists',
        resource,
        'fail',
        `no IAM SAML identity provider named '${app.providerName}'`,
        `${RUN_PROVISION} (it creates the provider from the Okta app's metadata).`,
      );
      return;
    }
    a.providerArn = arn;
    add(run, 'provider.exists', resource, 'ok', arn);
    const provider = await awsCall(ctx, 'iam', 'GetSAMLProvider', (o) =>
      ctx.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }), o),
    );
    ownershipFinding(
      run,
      'provider.ownership',
      resource,
      provider.Tags ?? [],
      'The SAML provider',
      'apps[].providerName',
    );
    if (!a.okta) return;
    await checkCertificate(run, a, resource, provider.SAMLMetadataDocument ?? '');
  });
}

async function checkCertificate(run: Run, a: AppRun, resource: string, iamXml: string): Promise<void> {
  const okta = a.okta as OktaAppJson;
  const label = a.app.label;
  const [oktaXml, keys] = await Promise.all([
    fetchAppMetadata(run.ctx, okta),
    oktaRequest<OktaKey[]>(run.ctx, 'ListApplicationKeys', {
      method: 'GET',
      path: `/api/v1/apps/${encodeURIComponent(okta.id)}/credentials/keys`,
    }).then((r) => r.data),
  ]);
  const current = parseIdpMetadata(oktaXml, 'okta metadata').signingCertificates[0] as SigningCertificate;
  const kid = okta.credentials?.signing?.kid;

  let trusted: SigningCertificate[];
  try {
    trusted = parseIdpMetadata(iamXml, 'iam metadata').signingCertificates;
  } catch (error) {
    add(
      run,
      'provider.certificate',
      resource,
      'fail',
      `the provider's metadata does not parse: ${errorMessage(error)}`,
      `${RUN_PROVISION} (it replaces the provider's metadata with the app's).`,
    );
    trusted = [];
  }
  if (trusted.length > 0) {
    const keyOf = (base64: string) =>
      (Array.isArray(keys) ? keys : []).find((k) => (k.x5c?.[0] ?? '').replace(/\s+/g, '') === base64);
    const others = trusted.filter((c) => c.base64 !== current.base64);
    if (!trusted.some((c) => c.base64 === current.base64)) {
      const described = trusted
        .map((c) => {
          const key = keyOf(c.base64);
          return key
            ? `${certName(c)}, an earlier key of the app (kid ${key.kid})`
            : `${certName(c)}, not a key of this app`;
        })
        .join('; ');
      add(
        run,
        'provider.certificate',
        resource,
        'fail',
        `Okta signs with certificate ${certName(current)} (kid ${kid ?? '?'}) but the provider trusts only ${described}: every sign-in fails with "Response signature invalid" (a rotated Okta certificate)`,
        `${RUN_ROTATE} (it trusts the current certificate again and finishes cleanly), or ${RUN_PROVISION.toLowerCase()} (it replaces the provider's metadata with the app's current one); by hand: download the metadata from ${appPath(label)} → Sign On → "Identity Provider metadata" and upload it in the IAM console → Identity providers → ${a.app.providerName} → Replace metadata.`,
      );
    } else if (others.length > 0) {
      add(
        run,
        'provider.certificate',
        resource,
        'warn',
        `trusts Okta's current certificate ${certName(current)} and ${others.length} other(s) (${others.map(certName).join(', ')}): a certificate rotation was not finished, or an old certificate is still trusted`,
        `${RUN_ROTATE}: it finishes the rotation and removes the certificates Okta no longer signs with.`,
      );
    } else {
      add(
        run,
        'provider.certificate',
        resource,
        'ok',
        `trusts Okta's current certificate ${certName(current)} (kid ${kid ?? '?'})`,
      );
    }
  }

  const days = (current.notAfter.getTime() - run.now.getTime()) / 86_400_000;
  const certRes = `okta app "${label}" signing certificate`;
  if (days <= 0) {
    add(
      run,
      'certificate.expiry',
      certRes,
      'fail',
      `Okta's signing certificate ${certName(current)} has expired`,
      `${RUN_ROTATE} (new key, trusted by IAM before Okta switches to it).`,
    );
  } else if (days <= run.warnDays) {
    add(
      run,
      'certificate.expiry',
      certRes,
      'warn',
      `Okta's signing certificate ${certName(current)} expires in ${Math.floor(days)} day(s)`,
      `${RUN_ROTATE} before it expires (zero downtime: IAM trusts the new certificate before Okta switches to it).`,
    );
  } else {
    add(
      run,
      'certificate.expiry',
      certRes,
      'ok',
      `valid until ${current.notAfter.toISOString()} (${Math.floor(days)} days)`,
    );
  }
}

interface TrustStatement {
  federated: string[];
  actions: string[];
  condition: JsonObject | undefined;
}

function trustStatements(document: unknown): TrustStatement[] {
  return list(isObject(document) ? document.Statement : undefined)
    .filter(isObject)
    .filter((s) => s.Effect === 'Allow')
    .map((s) => ({
      federated: isObject(s.Principal) ? strings(s.Principal.Federated) : [],
      actions: strings(s.Action),
      condition: isObject(s.Condition) ? s.Condition : undefined,
    }));
}

/** The `SAML:aud` values a statement's condition requires (with their operator), or undefined without one. */
function audienceCondition(
  condition: JsonObject | undefined,
): { like: boolean; values: string[] } | undefined {
  if (!condition) return undefined;
  for (const [operator, keys] of Object.entries(condition)) {
    if (!isObject(keys)) continue;
    const m = /^(?:ForAnyValue:|ForAllValues:)?String(Equals|Like)(?:IgnoreCase)?$/.exec(operator);
    if (!m) continue;
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() === 'saml:aud') return { like: m[1] === 'Like', values: strings(values) };
    }
  }
  return undefined;
}

async function checkRole(run: Run, a: AppRun): Promise<void> {
  const { ctx } = run;
  const { app } = a;
  const resource = `iam role ${app.roleName}`;
  await guard(run, 'role.exists', resource, async () => {
    try {
      a.role = (
        await awsCall(ctx, 'iam', 'GetRole', (o) =>
          ctx.iam.send(new GetRoleCommand({ RoleName: app.roleName }), o),
        )
      ).Role;
    } catch (error) {
      if (!isAwsError(error, 'NoSuchEntity')) throw error;
    }
    const role = a.role;
    if (!role?.Arn) {
      a.expectedRoleArn = expectedArn(run, 'iam', `role/${app.roleName}`);
      add(
        run,
        'role.exists',
        resource,
        'fail',
        `no IAM role named '${app.roleName}'`,
        `${RUN_PROVISION} (it creates the role trusting the SAML provider, with the federation policy).`,
      );
      return;
    }
    learnAccount(run, role.Arn);
    a.expectedRoleArn = role.Arn;
    add(run, 'role.exists', resource, 'ok', role.Arn);
    ownershipFinding(run, 'role.ownership', resource, role.Tags ?? [], 'The role', 'apps[].roleName');
    checkTrust(run, a, resource, role);

    const attached: string[] = [];
    let marker: string | undefined;
    do {
      const page = await awsCall(ctx, 'iam', 'ListAttachedRolePolicies', (o) =>
        ctx.iam.send(
          new ListAttachedRolePoliciesCommand({
            RoleName: app.roleName,
            ...(marker ? { Marker: marker } : {}),
          }),
          o,
        ),
      );
      for (const p of page.AttachedPolicies ?? ([] as AttachedPolicy[]))
        if (p.PolicyArn) attached.push(p.PolicyArn);
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const policyArn = run.federationPolicyArn;
    const policyName = run.config.names.federationPolicy;
    if (policyArn && attached.includes(policyArn)) {
      add(run, 'role.federation-policy', resource, 'ok', `has ${policyName} attached`);
    } else {
      add(
        run,
        'role.federation-policy',
        resource,
        'fail',
        `does not have the federation policy ${policyName} attached (attached: ${attached.length > 0 ? attached.join(', ') : 'none'}): Connect refuses GetFederationToken after a successful SAML sign-in`,
        `${RUN_PROVISION} (it attaches it), or in the IAM console → Roles → ${app.roleName} → Permissions → Add permissions → Attach policies → ${policyName}.`,
      );
    }
  });
}

function checkTrust(run: Run, a: AppRun, resource: string, role: Role): void {
  const { app } = a;
  const providerArn =
    a.expectedProviderArn ?? `arn:${run.config.partition}:iam::<account>:saml-provider/${app.providerName}`;
  const audience = samlAudiences(run.config.region, false)[0] as string;
  const trustFix = `${RUN_PROVISION} (it rewrites the trust policy), or in the IAM console → Roles → ${app.roleName} → Trust relationships → Edit trust policy: Allow, Principal {"Federated": "${providerArn}"}, Action "sts:AssumeRoleWithSAML", Condition {"StringEquals": {"SAML:aud": "${audience}"}}.`;
  let statements: TrustStatement[];
  try {
    statements = trustStatements(
      role.AssumeRolePolicyDocument ? decodePolicyDocument(role.AssumeRolePolicyDocument) : {},
    );
  } catch (error) {
    add(
      run,
      'role.trust-provider',
      resource,
      'fail',
      `the trust policy does not parse: ${errorMessage(error)}`,
      trustFix,
    );
    return;
  }
  const naming = statements.filter((s) => s.federated.includes(providerArn));
  if (naming.length > 0) {
    add(run, 'role.trust-provider', resource, 'ok', `trusts ${providerArn}`);
  } else {
    const trusted = [...new Set(statements.flatMap((s) => s.federated))];
    add(
      run,
      'role.trust-provider',
      resource,
      'fail',
      `the trust policy does not name the SAML provider ${providerArn} (it trusts ${trusted.length > 0 ? trusted.join(', ') : 'no federated principal'}): AWS answers "Not authorized to perform sts:AssumeRoleWithSAML"`,
      trustFix,
    );
  }
  // The action and the audience, judged on the statements that name the provider (or, when none does,
  // on every statement with a federated principal: one broken link is reported once).
  const relevant = naming.length > 0 ? naming : statements.filter((s) => s.federated.length > 0);
  if (relevant.length === 0) return;
  const withAction = relevant.filter((s) => actionsCover(s.actions, 'sts:AssumeRoleWithSAML'));
  if (withAction.length > 0) add(run, 'role.trust-action', resource, 'ok', 'allows sts:AssumeRoleWithSAML');
  else {
    add(
      run,
      'role.trust-action',
      resource,
      'fail',
      `the statement trusting the provider allows ${[...new Set(relevant.flatMap((s) => s.actions))].join(', ') || 'no action'}, not sts:AssumeRoleWithSAML: AWS refuses the SAML sign-in`,
      trustFix,
    );
  }
  const judged = withAction.length > 0 ? withAction : relevant;
  const conditions = judged.map((s) => audienceCondition(s.condition));
  const accepts = conditions.some(
    (c) => c?.values.some((v) => (c.like ? globMatches(v, audience) : v === audience)) === true,
  );
  if (accepts) add(run, 'role.trust-audience', resource, 'ok', `SAML:aud allows ${audience}`);
  else if (conditions.every((c) => c === undefined)) {
    add(
      run,
      'role.trust-audience',
      resource,
      'warn',
      `the trust has no SAML:aud condition: it accepts SAML assertions meant for any AWS sign-in endpoint`,
      trustFix,
    );
  } else {
    const given = conditions.flatMap((c) => c?.values ?? []);
    add(
      run,
      'role.trust-audience',
      resource,
      'fail',
      `SAML:aud requires ${given.map((v) => `'${v}'`).join(', ')}, but Okta's AWS app posts to ${audience}: AWS refuses the SAML sign-in`,
      trustFix,
    );
  }
}

function checkIdentityProviderArn(run: Run, a: AppRun): void {
  const okta = a.okta;
  if (!okta || !a.expectedProviderArn) return;
  const resource = a.appRes;
  const current = okta.settings?.app?.identityProviderArn;
  const values = typeof current === 'string' ? current.split(',').map((s) => s.trim()) : [];
  if (values.includes(a.expectedProviderArn)) {
    add(run, 'app.identity-provider-arn', resource, 'ok', a.expectedProviderArn);
    return;
  }
  add(
    run,
    'app.identity-provider-arn',
    resource,
    'fail',
    `the app's Identity Provider ARN is ${quote(current)}, not ${a.expectedProviderArn}: the SAML Role attribute names the wrong provider and AWS refuses the sign-in${run.config.roleMapping === 'api-integration' ? ' (and Okta imports no role for it)' : ''}`,
    `${RUN_PROVISION} (it writes the ARN back into the app), or ${appPath(a.app.label)} → Sign On → Edit → Identity Provider ARN: ${a.expectedProviderArn}.`,
  );
}

/** Every difference between a relay state and the expected one, in words. */
function relayStateDifferences(
  actual: string,
  expected: string,
  region: string,
  instanceId: string,
): string[] {
  const problem = relayStateProblem(actual);
  if (problem && /ARN/.test(problem)) return [problem];
  let a: URL;
  let e: URL;
  try {
    a = new URL(actual);
    e = new URL(expected);
  } catch {
    return [problem ?? `'${actual}' is not a URL`];
  }
  const out: string[] = [];
  if (a.host !== e.host) {
    const m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)\.console\.aws\.amazon\.com$/.exec(a.host);
    out.push(
      m
        ? `it names region ${m[1]}; the instance is in ${region}`
        : `its host is '${a.host}', expected '${e.host}'`,
    );
  }
  if (a.pathname !== e.pathname) {
    const m = /^\/connect\/federate\/([^/]+)$/.exec(a.pathname);
    out.push(
      m
        ? `it names instance '${decodeURIComponent(m[1] ?? '')}', not this instance '${instanceId}' (was the instance re-created?)`
        : (problem ?? `its path is '${a.pathname}', expected '${e.pathname}'`),
    );
  }
  const destA = a.searchParams.get('destination');
  const destE = e.searchParams.get('destination');
  if (destA !== destE) out.push(`its destination is ${quote(destA)}, expected ${quote(destE)}`);
  if (a.searchParams.get('new_domain') !== e.searchParams.get('new_domain')) {
    out.push(
      `new_domain is ${quote(a.searchParams.get('new_domain'))}, expected ${quote(e.searchParams.get('new_domain'))}`,
    );
  }
  if (out.length === 0) out.push(`it is '${actual}'`);
  return out;
}

function checkRelayState(run: Run, a: AppRun): void {
  const okta = a.okta;
  if (!okta || !run.instance) return;
  const { app } = a;
  const expected = buildRelayState({
    region: run.config.region,
    instanceId: run.instance.id,
    destination: app.destination ?? 'admin',
    newDomain: app.newDomain,
  });
  const actual = okta.settings?.signOn?.defaultRelayState;
  if (actual === expected) {
    add(run, 'app.relay-state', a.appRes, 'ok', expected);
    return;
  }
  const differences =
    typeof actual === 'string' && actual.length > 0
      ? relayStateDifferences(actual, expected, run.config.region, run.instance.id)
      : ['it is not set: users land on the AWS console instead of Connect'];
  add(
    run,
    'app.relay-state',
    a.appRes,
    'fail',
    `the Default Relay State is not ${expected}: ${differences.join('; ')}`,
    `${RUN_PROVISION} (it sets the relay state), or ${appPath(app.label)} → Sign On → Edit → Default Relay State: ${expected}.`,
  );
}

async function checkApiIntegration(run: Run, a: AppRun): Promise<void> {
  const okta = a.okta;
  if (!okta) return;
  const { app, appRes } = a;
  const features = okta.features ?? [];
  if (features.includes('PUSH_NEW_USERS')) {
    add(run, 'app.api-integration', appRes, 'ok', `features: ${features.join(', ')}`);
  } else {
    add(
      run,
      'app.api-integration',
      appRes,
      'fail',
      `the API integration's "Create Users" is not enabled (features: ${features.length > 0 ? features.join(', ') : 'none'}): Okta imports no role and users cannot be given one`,
      `${appPath(app.label)} → Provisioning → Configure API Integration: tick "Enable API integration", enter the access key of the IAM user ${run.config.names.oktaApiUser}, Test API Credentials, Save; then Provisioning → To App → Edit: enable "Create Users" and "Update User Attributes", Save. Then run provision.`,
    );
  }
  await guard(run, 'app.role-imported', appRes, async () => {
    const { data: schema } = await oktaRequest<JsonObject>(run.ctx, 'GetApplicationUserSchema', {
      method: 'GET',
      path: `/api/v1/meta/schemas/apps/${encodeURIComponent(okta.id)}/default`,
    });
    const imported = importedRoles(schema);
    const matches = (r: string) => r === app.roleName || r.endsWith(` -- ${app.roleName}`);
    if (imported.some(matches)) {
      add(run, 'app.role-imported', appRes, 'ok', `Okta imported the role ${app.roleName}`);
      return;
    }
    add(
      run,
      'app.role-imported',
      appRes,
      'fail',
      `Okta has not imported the role ${app.roleName} (imported: ${imported.length > 0 ? imported.join(', ') : 'none'}): users cannot be assigned it`,
      `${appPath(app.label)} → Provisioning → To App: make sure "Update User Attributes" is enabled; then ${OKTA_APPS} → More → "Refresh Application Data" (Okta imports the roles whose trust policy names the app's Identity Provider ARN). Then run provision.`,
    );
  });
}

/** The role names of the app user schema's `samlRoles` (and `role`) enums. */
function importedRoles(schema: JsonObject): string[] {
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  const out = new Set<string>();
  for (const part of ['base', 'custom']) {
    const def = definitions[part];
    const props = isObject(def) && isObject(def.properties) ? def.properties : {};
    const samlRoles = props.samlRoles;
    if (isObject(samlRoles) && isObject(samlRoles.items))
      for (const r of strings(samlRoles.items.enum)) out.add(r);
    const role = props.role;
    if (isObject(role)) for (const r of strings(role.enum)) out.add(r);
  }
  return [...out];
}

interface GroupInfo {
  id: string;
  name: string;
}

async function checkGroup(run: Run, a: AppRun): Promise<GroupInfo | undefined> {
  const okta = a.okta;
  const { app } = a;
  if (!okta || !app.groupName || !run.accountId) return undefined;
  const name = groupNameFor(app.groupName, { accountId: run.accountId, roleName: app.roleName });
  const resource = `okta group '${name}'`;
  let group: GroupInfo | undefined;
  await guard(run, 'group.exists', resource, async () => {
    const found = (await findOktaGroups(run.ctx, name)).find((g) => g.profile?.name === name);
    if (!found) {
      add(
        run,
        'group.exists',
        resource,
        'fail',
        `no Okta group named '${name}': group mapping gives this app's users no role`,
        `${RUN_PROVISION} (it creates the group, assigns it to the app and adds the users).`,
      );
      return;
    }
    group = { id: found.id, name };
    add(run, 'group.exists', resource, 'ok', found.id);
    try {
      await oktaRequest<unknown>(run.ctx, 'GetApplicationGroupAssignment', {
        method: 'GET',
        path: `/api/v1/apps/${encodeURIComponent(okta.id)}/groups/${encodeURIComponent(found.id)}`,
      });
      add(run, 'group.assigned', resource, 'ok', `assigned to "${app.label}"`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      add(
        run,
        'group.assigned',
        resource,
        'fail',
        `is not assigned to the app "${app.label}": its members are not users of the app`,
        `${RUN_PROVISION} (it assigns the group), or ${appPath(app.label)} → Assignments → Assign → Assign to Groups → ${name}.`,
      );
    }
  });
  const settings = okta.settings?.app ?? {};
  const roleArn = a.expectedRoleArn;
  const providerArn = a.expectedProviderArn;
  const groupFix = `${RUN_PROVISION} (it sets the app's group mapping), or ${appPath(app.label)} → Sign On → Edit: "Use Group Mapping" on, Group Filter ${app.groupFilter ?? ''}, Role Value Pattern arn:${run.config.partition}:iam::\${accountid}:saml-provider/${app.providerName},arn:${run.config.partition}:iam::\${accountid}:role/\${role}.`;
  if (settings.useGroupMapping !== true) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's "Use Group Mapping" is off: groups give its users no role`,
      groupFix,
    );
    return group;
  }
  const filter = typeof settings.groupFilter === 'string' ? settings.groupFilter : '';
  const pattern = typeof settings.roleValuePattern === 'string' ? settings.roleValuePattern : '';
  let mapped: ReturnType<typeof samlRoleForGroup>;
  try {
    mapped = samlRoleForGroup(name, { groupFilter: filter, roleValuePattern: pattern });
  } catch (error) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's group filter '${filter}' is invalid: ${errorMessage(error)}`,
      groupFix,
    );
    return group;
  }
  if (!mapped) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the app's group filter '${filter}' does not match the group name '${name}': its members get no role`,
      groupFix,
    );
    return group;
  }
  const wrong: string[] = [];
  if (roleArn && mapped.roleArn !== roleArn)
    wrong.push(`role ${quote(mapped.roleArn)} instead of ${roleArn}`);
  if (providerArn && mapped.providerArn !== providerArn)
    wrong.push(`provider ${quote(mapped.providerArn)} instead of ${providerArn}`);
  if (wrong.length > 0) {
    add(
      run,
      'group.role',
      resource,
      'fail',
      `the group maps to the Role value '${mapped.value}': ${wrong.join('; ')} — AWS refuses the sign-in`,
      groupFix,
    );
  } else {
    add(run, 'group.role', resource, 'ok', `members get the Role ${mapped.value}`);
  }
  return group;
}

// ---------------------------------------------------------------------------------------------------------
// Users

interface AppUserJson {
  id: string;
  scope?: string;
  credentials?: { userName?: string };
  profile?: { role?: unknown; samlRoles?: unknown };
}

async function checkUsers(run: Run, a: AppRun, group: GroupInfo | undefined): Promise<void> {
  const users = run.config.users.filter((u) => u.app === a.app.kind);
  const okta = a.okta;
  if (users.length === 0 || !okta) return;
  const { ctx } = run;
  const { app } = a;
  const groupMode = run.config.roleMapping === 'group-mapping';
  await guard(run, 'user.assigned', `users of "${app.label}"`, async () => {
    const byId = new Map<string, AppUserJson>();
    const byName = new Map<string, AppUserJson[]>();
    for await (const page of oktaPages<AppUserJson>(
      ctx,
      'ListApplicationUsers',
      `/api/v1/apps/${encodeURIComponent(okta.id)}/users`,
      { limit: 500 },
    )) {
      for (const u of page) {
        byId.set(u.id, u);
        const name = u.credentials?.userName;
        if (typeof name === 'string')
          byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), u]);
      }
    }
    const members = groupMode && group ? await listGroupMembers(ctx, group.id) : undefined;
    if (run.instance?.status === 'ACTIVE' && !run.connectUsers) {
      run.connectUsers = await listConnectUsers(ctx, run.instance.id);
    }
    for (const user of users) await checkUser(run, a, user, { byId, byName, members, group });
  });
}

async function checkUser(
  run: Run,
  a: AppRun,
  user: ResolvedUser,
  lists: {
    byId: Map<string, AppUserJson>;
    byName: Map<string, AppUserJson[]>;
    members: Awaited<ReturnType<typeof listGroupMembers>> | undefined;
    group: GroupInfo | undefined;
  },
): Promise<void> {
  const { app } = a;
  const resource = `user ${user.login} ("${app.label}")`;
  const login = user.login;
  const groupMode = run.config.roleMapping === 'group-mapping';
  const assignFix = groupMode
    ? `${RUN_PROVISION} (it adds the user to the group${lists.group ? ` '${lists.group.name}'` : ''}), or in the Okta admin console → Directory → Groups → ${lists.group?.name ?? "the app's group"} → Assign people → ${login}.`
    : `${RUN_PROVISION} (it assigns the user with the role), or ${appPath(app.label)} → Assignments → Assign → Assign to People → ${login}, Role and SAML User Roles: ${app.roleName}.`;

  let appUser: AppUserJson | undefined;
  const same = lists.byName.get(login.toLowerCase());
  if (same?.length === 1) appUser = same[0];
  const member = lists.members?.byLogin.get(login.toLowerCase());
  if (!appUser && member) appUser = lists.byId.get(member.id);
  let oktaUserId = appUser?.id ?? member?.id;
  if (!oktaUserId) {
    // Not found in the bulk lists: one read tells "no such Okta user" from "not assigned".
    try {
      const { data } = await oktaRequest<{ id: string }>(run.ctx, 'GetUser', {
        method: 'GET',
        path: `/api/v1/users/${encodeURIComponent(login)}`,
      });
      oktaUserId = data.id;
      appUser = lists.byId.get(data.id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `no Okta user with login '${login}'`,
        `Create the user in the Okta admin console (Directory → People → Add person), or correct users[].login in the config; then run provision.`,
      );
      return;
    }
  }

  if (groupMode) {
    const isMember = member !== undefined || (oktaUserId !== undefined && lists.members?.ids.has(oktaUserId));
    if (!isMember) {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is not a member of the app's group${lists.group ? ` '${lists.group.name}'` : ''}: group mapping gives no role`,
        assignFix,
      );
    } else if (!appUser) {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is a member of '${lists.group?.name ?? "the app's group"}' but not a user of the app "${app.label}" (is the group assigned to the app?)`,
        assignFix,
      );
    } else {
      add(
        run,
        'user.assigned',
        resource,
        'ok',
        `member of '${lists.group?.name ?? ''}', app username '${appUser.credentials?.userName ?? '?'}'`,
      );
    }
  } else if (!appUser) {
    add(run, 'user.assigned', resource, 'fail', `is not assigned to the app "${app.label}"`, assignFix);
  } else {
    const profile = appUser.profile ?? {};
    const roles = [...strings(profile.samlRoles), ...strings(profile.role)];
    if (roles.includes(app.roleName)) {
      add(
        run,
        'user.assigned',
        resource,
        'ok',
        `assigned with the role ${app.roleName}, app username '${appUser.credentials?.userName ?? '?'}'`,
      );
    } else {
      add(
        run,
        'user.assigned',
        resource,
        'fail',
        `is assigned to "${app.label}" without the role ${app.roleName} (roles: ${roles.length > 0 ? [...new Set(roles)].join(', ') : 'none'}): the SAML response carries no usable Role`,
        assignFix,
      );
    }
  }

  const username = appUser?.credentials?.userName;
  const index = run.connectUsers;
  if (!username || !index || !run.instance) return;
  if (index.byUsername.has(username)) {
    add(run, 'user.connect', resource, 'ok', `Connect user '${username}' exists`);
    return;
  }
  const [variant] = caseVariantsOf(index, username);
  if (variant !== undefined) {
    add(
      run,
      'user.connect',
      resource,
      'fail',
      `the Connect user is '${variant}' but the Okta app username is '${username}': Connect compares usernames with case, so the sign-in finds no user ("Session expired" / access denied)`,
      `Either change the app username in ${appPath(app.label)} → Assignments → ${login} → edit → User Name to '${variant}', or delete the Connect user '${variant}' (Amazon Connect console → Users → User management) and run provision to create '${username}'.`,
    );
    return;
  }
  add(
    run,
    'user.connect',
    resource,
    'fail',
    `no Connect user named '${username}' (the Okta app username, which is the SAML RoleSessionName): the sign-in reaches Connect and is refused`,
    `${RUN_PROVISION} (it creates the Connect user), or in the Amazon Connect admin website → Users → User management → Add new users, with the username exactly '${username}'.`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Entry point

function checkOptions(options: DoctorOptions): void {
  const issues: { field: string; message: string }[] = [];
  if (options.now !== undefined && !(options.now instanceof Date && Number.isFinite(options.now.getTime()))) {
    issues.push({ field: 'now', message: 'must be a valid Date' });
  }
  const days = options.expiryWarningDays;
  if (days !== undefined && !(typeof days === 'number' && Number.isFinite(days) && days >= 0)) {
    issues.push({ field: 'expiryWarningDays', message: 'must be a number of days ≥ 0' });
  }
  if (issues.length > 0) throw ConfigError.of(issues);
}

/**
 * Check every link of a setup against the live AWS and Okta state and say, for each, `ok`, `warn` or
 * `fail` with exactly what to do. Read-only.
 *
 * Checks (ids): `instance.exists|active|identity|ownership`; `federation-policy.exists|resource|ownership`;
 * api-integration: `okta-access-policy.ownership`, `okta-api-user.ownership`; per app: `app.exists|ownership|active`,
 * `provider.exists|ownership|certificate`, `certificate.expiry`, `role.exists|ownership|trust-provider|trust-action|trust-audience|federation-policy`,
 * `app.identity-provider-arn`, `app.relay-state`, api-integration: `app.api-integration`, `app.role-imported`;
 * group-mapping: `group.exists|assigned|role`; per user: `user.assigned`, `user.connect`.
 *
 * @throws {ConfigError} an invalid config or option (before any call). Provider errors do not throw:
 *   they become `fail` findings of the check that needed the read.
 */
export async function doctor(
  config: ConnectSsoConfig | ResolvedConfig,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  checkOptions(options);
  const resolved = resolveConfigInput(config, options.context !== undefined);
  const ctx = contextForConfig(resolved, options.context);
  const run: Run = {
    ctx,
    config: resolved,
    now: options.now ?? new Date(ctx.clock.now()),
    warnDays: options.expiryWarningDays ?? 30,
    findings: [],
    instance: undefined,
    accountId: ctx.accountId,
    federationPolicyArn: undefined,
    providers: undefined,
    connectUsers: undefined,
  };

  await checkInstance(run);
  await checkFederationPolicy(run);
  if (resolved.roleMapping === 'api-integration') await checkOktaApiResources(run);
  for (const app of resolved.apps) {
    const a: AppRun = {
      app,
      appRes: `okta app "${app.label}"`,
      okta: undefined,
      providerArn: undefined,
      expectedProviderArn: undefined,
      role: undefined,
      expectedRoleArn: undefined,
    };
    await checkOktaApp(run, a);
    await checkProviderAndCertificate(run, a);
    await checkRole(run, a);
    checkIdentityProviderArn(run, a);
    checkRelayState(run, a);
    let group: GroupInfo | undefined;
    if (resolved.roleMapping === 'api-integration') await checkApiIntegration(run, a);
    else {
      await guard(run, 'group.exists', `okta group of "${app.label}"`, async () => {
        group = await checkGroup(run, a);
      });
    }
    await checkUsers(run, a, group);
  }

  const summary: Record<DoctorStatus, number> = { ok: 0, warn: 0, fail: 0 };
  for (const f of run.findings) summary[f.status]++;
  for (const f of run.findings) {
    if (f.status !== 'ok') ctx.logger.info(`doctor ${f.status}: ${f.check} ${f.resource}: ${f.message}`);
  }
  return { ok: summary.fail === 0, findings: run.findings, summary };
}
