/** linkIdentityProvider's input and result types, and the validation of its input (before any call). */
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { checkRegion } from '../../core/regions.js';
import type { StepOptions, StepResultBase } from '../../core/step.js';
import { parseIdpMetadata } from '../../saml/metadata.js';
import { sessionDurationProblem } from '../okta-app/ensure.js';
import { samlAudiences } from './trust-policy.js';

/** How long `CreateRole` / `UpdateAssumeRolePolicy` are retried while IAM has not propagated a new provider. */
export const DEFAULT_IAM_CONSISTENCY_TIMEOUT_MS = 120_000;

/** IAM's default (and minimum) `MaxSessionDuration` of a role. */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

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

export const POLICY_ARN = /^arn:(aws|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/;

export interface ResolvedInput {
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

export function validate(ctx: SsoContext, input: LinkIdentityProviderInput): ResolvedInput {
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

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export const show = (v: unknown): string =>
  v === undefined || v === null ? 'unset' : typeof v === 'string' ? `'${v}'` : String(v);
