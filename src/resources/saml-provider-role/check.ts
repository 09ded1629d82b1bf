import type { Role } from '@aws-sdk/client-iam';
import { decodePolicyDocument } from '../../providers/aws/policy-document.js';
import { parseIdpMetadata, type SigningCertificate } from '../../saml/metadata.js';
import {
  type AppRun,
  actionsCover,
  add,
  appPath,
  certName,
  errorMessage,
  expectedArn,
  globMatches,
  guard,
  isObject,
  type JsonObject,
  learnAccount,
  list,
  ownershipFinding,
  RUN_PROVISION,
  RUN_ROTATE,
  type Run,
  strings,
} from '../check-run.js';
import { fetchAppMetadata, type OktaAppJson } from '../okta-app/ensure.js';
import { listAppKeys } from '../okta-app/read.js';
import { samlAudiences } from './ensure.js';
import { attachedPolicies, findRole, getSamlProvider, listSamlProviders } from './read.js';

export async function checkProviderAndCertificate(run: Run, a: AppRun): Promise<void> {
  const { ctx } = run;
  const { app } = a;
  const resource = `iam saml-provider ${app.providerName}`;
  await guard(run, 'provider.exists', resource, async () => {
    if (!run.providers) {
      run.providers = await listSamlProviders(ctx);
      for (const p of run.providers.values()) learnAccount(run, p);
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
    const provider = await getSamlProvider(ctx, arn);
    ownershipFinding(
      run,
      'provider.ownership',
      resource,
      provider?.tags ?? [],
      'The SAML provider',
      'apps[].providerName',
    );
    if (!a.okta) return;
    await checkCertificate(run, a, resource, provider?.metadataXml ?? '');
  });
}

export async function checkCertificate(run: Run, a: AppRun, resource: string, iamXml: string): Promise<void> {
  const okta = a.okta as OktaAppJson;
  const label = a.app.label;
  const [oktaXml, keys] = await Promise.all([fetchAppMetadata(run.ctx, okta), listAppKeys(run.ctx, okta.id)]);
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
    const keyOf = (base64: string) => keys.find((k) => (k.x5c?.[0] ?? '').replace(/\s+/g, '') === base64);
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

export interface TrustStatement {
  federated: string[];
  actions: string[];
  condition: JsonObject | undefined;
}

export function trustStatements(document: unknown): TrustStatement[] {
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
export function audienceCondition(
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

export async function checkRole(run: Run, a: AppRun): Promise<void> {
  const { ctx } = run;
  const { app } = a;
  const resource = `iam role ${app.roleName}`;
  await guard(run, 'role.exists', resource, async () => {
    a.role = await findRole(ctx, app.roleName);
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

    const attached = await attachedPolicies(ctx, app.roleName);
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

export function checkTrust(run: Run, a: AppRun, resource: string, role: Role): void {
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
