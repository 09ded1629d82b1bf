import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPoliciesCommand,
  type Policy,
} from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { awsCall, awsPages, isAwsError, nextMarker } from '../../providers/aws/call.js';
import { decodePolicyDocument } from '../../providers/aws/policy-document.js';
import {
  actionsCover,
  add,
  type DoctorStatus,
  expectedArn,
  globMatches,
  guard,
  isObject,
  learnAccount,
  list,
  ownershipFinding,
  RUN_PROVISION,
  type Run,
  strings,
} from '../check-run.js';

export async function findPolicy(run: Run, name: string): Promise<Policy | undefined> {
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

export async function policyDocument(ctx: SsoContext, policy: Policy): Promise<unknown> {
  const { PolicyVersion } = await awsCall(ctx, 'iam', 'GetPolicyVersion', (o) =>
    ctx.iam.send(
      new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }),
      o,
    ),
  );
  return PolicyVersion?.Document ? decodePolicyDocument(PolicyVersion.Document) : {};
}

export const INSTANCE_ARN_IN = /arn:[\w-]+:connect:([\w-]*):(\d{12}):instance\/([^/\s"]+)/;

/** What is wrong with the federation policy's grant, or undefined when it names the expected resource. */
export function federationGrant(
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

export async function checkFederationPolicy(run: Run): Promise<void> {
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
        ? `Narrow the resource to ${expected}: run apply (it writes a new default policy version).`
        : `${RUN_PROVISION} (it writes a new default version with the resource ${expected}), or in the IAM console → Policies → ${name} → Edit, set the Resource of connect:GetFederationToken to ${expected}.`,
    );
  });
}

/** api-integration mode: the Okta access policy is ours (reported only when it exists). */
export async function checkOktaAccessPolicy(run: Run): Promise<void> {
  const { config } = run;
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
}
