/**
 * The checks of a SAML response that read AWS: the IAM identity providers the Role pairs name (they
 * exist and verify the response), the roles (they exist and trust their provider), and the Connect user
 * named by RoleSessionName. Provider errors become failed checks.
 */
import type { SsoContext } from '../../core/context.js';
import { ConnectSsoError } from '../../core/errors.js';
import { parseArn } from '../../providers/aws/arn.js';
import { isAwsError } from '../../providers/aws/call.js';
import { decodePolicyDocument } from '../../providers/aws/policy-document.js';
import { findRole, getSamlProvider } from '../../resources/saml-provider-role/read.js';
import { findConnectUser } from '../../resources/users/connect-user.js';
import type { SamlAssertionInfo, SamlCheck } from '../../saml/types.js';
import { AWS_NOT_AUTHORIZED, AWS_PROVIDER_MISSING, UPDATE_METADATA_FIX } from '../../saml/wording.js';
import { trustProblem } from './trust.js';

/** A provider's metadata document as IAM holds it, or why it could not be read. */
export type ProviderMetadata = { xml: string } | { missing: true } | { error: string };

/** The SAML metadata document of an IAM identity provider (the saml-provider-role resource's read). */
export async function providerMetadata(ctx: SsoContext, providerArn: string): Promise<ProviderMetadata> {
  try {
    const provider = await getSamlProvider(ctx, providerArn);
    return provider ? { xml: provider.metadataXml } : { missing: true };
  } catch (error) {
    // IAM answers InvalidInput for a malformed provider ARN: no such provider either.
    if (isAwsError(error, 'InvalidInput')) return { missing: true };
    if (error instanceof ConnectSsoError) return { error: error.message };
    throw error;
  }
}

/**
 * `identity-provider`: every provider the Role pairs name exists and verifies the response.
 * `verifyWith` checks the response against one provider's metadata and returns its failures.
 * `known` holds the metadata already read (undefined: the provider could not be read).
 */
export async function identityProviderCheck(
  ctx: SsoContext,
  info: SamlAssertionInfo,
  known: Map<string, string | undefined>,
  checkedMetadata: string | undefined,
  verifyWith: (metadata: string) => string[],
): Promise<SamlCheck | undefined> {
  const providers = [...new Set(info.roles.map((r) => r.providerArn))];
  if (providers.length === 0) return undefined;
  const problems: string[] = [];
  const missing = new Set<string>();
  for (const providerArn of providers) {
    let xml = known.get(providerArn);
    if (!known.has(providerArn)) {
      const found = await providerMetadata(ctx, providerArn);
      xml = 'xml' in found ? found.xml : undefined;
      known.set(providerArn, xml);
      if ('missing' in found) missing.add(providerArn);
      if ('error' in found) problems.push(`${providerArn} could not be read: ${found.error}`);
    }
    if (missing.has(providerArn)) {
      problems.push(`${AWS_PROVIDER_MISSING} (${providerArn})`);
      continue;
    }
    if (xml === undefined || xml === checkedMetadata) continue;
    for (const failure of verifyWith(xml)) problems.push(`${providerArn}: ${failure}`);
  }
  const one = providers.length === 1;
  return problems.length > 0
    ? {
        check: 'identity-provider',
        status: 'fail',
        message: problems.join(' '),
        fix: `Name an existing IAM identity provider in the Role attribute (the Okta app's Identity Provider ARN), made from this Okta app's metadata. ${UPDATE_METADATA_FIX}`,
      }
    : {
        check: 'identity-provider',
        status: 'ok',
        message: `IAM identity provider${one ? '' : 's'} ${providers.join(', ')} exist${one ? 's' : ''} and verif${one ? 'ies' : 'y'} the response.`,
      };
}

function roleName(roleArn: string): string {
  const resource = parseArn(roleArn)?.resource ?? roleArn;
  return resource.split('/').pop() ?? resource;
}

/** `role-trust`: each role of a Role pair exists and its trust policy lets its provider federate. */
export async function roleTrustCheck(
  ctx: SsoContext,
  info: SamlAssertionInfo,
): Promise<SamlCheck | undefined> {
  if (info.roles.length === 0) return undefined;
  const problems: string[] = [];
  for (const pair of info.roles) {
    try {
      const role = await findRole(ctx, roleName(pair.roleArn));
      if (!role) {
        problems.push(`the role ${pair.roleArn} does not exist`);
        continue;
      }
      if (role.Arn !== pair.roleArn) {
        problems.push(
          `the role ${pair.roleArn} does not exist (this account has ${role.Arn ?? 'no such role'})`,
        );
        continue;
      }
      const policy = role.AssumeRolePolicyDocument
        ? decodePolicyDocument(role.AssumeRolePolicyDocument)
        : undefined;
      const problem = trustProblem(policy, pair.providerArn, info.recipient);
      if (problem) problems.push(`${pair.roleArn}: ${problem}`);
    } catch (error) {
      if (error instanceof ConnectSsoError || error instanceof SyntaxError)
        problems.push(`${pair.roleArn} could not be read: ${error.message}`);
      else throw error;
    }
  }
  const one = info.roles.length === 1;
  return problems.length > 0
    ? {
        check: 'role-trust',
        status: 'fail',
        message: `${AWS_NOT_AUTHORIZED}: ${problems.join('; ')}.`,
        fix: "Name the right role in Okta (the user's role / group mapping), and let its trust policy allow the provider: Principal.Federated = the provider ARN, Action sts:AssumeRoleWithSAML, Condition StringEquals SAML:aud = https://signin.aws.amazon.com/saml (linkIdentityProvider writes it).",
      }
    : {
        check: 'role-trust',
        status: 'ok',
        message: `Role${one ? '' : 's'} ${info.roles.map((r) => r.roleArn).join(', ')} exist${one ? 's' : ''} and trust${one ? 's' : ''} the provider.`,
      };
}

/** `connect-user`: a Connect user of `instanceId` is named exactly like RoleSessionName. */
export async function connectUserCheck(
  ctx: SsoContext,
  instanceId: string,
  info: SamlAssertionInfo,
): Promise<SamlCheck> {
  const name = info.roleSessionName;
  if (!name) return { check: 'connect-user', status: 'skip', message: 'Not checked: no RoleSessionName.' };
  try {
    const { user, caseVariants } = await findConnectUser(ctx, instanceId, name);
    if (user) return { check: 'connect-user', status: 'ok', message: `Connect user '${name}' exists.` };
    if (caseVariants.length > 0) {
      return {
        check: 'connect-user',
        status: 'fail',
        message: `No Connect user is named '${name}' (the RoleSessionName), but ${caseVariants.map((v) => `'${v}'`).join(', ')} differ${caseVariants.length === 1 ? 's' : ''} only in case: Amazon Connect usernames are case-sensitive, even with SAML, so sign-in fails after a successful Okta login.`,
        fix: `Make the two spellings equal: change the user's app username in Okta (the app → Assignments → edit → User Name) to '${caseVariants[0]}', or delete the Connect user '${caseVariants[0]}' and create '${name}' (assignUser does).`,
      };
    }
    return {
      check: 'connect-user',
      status: 'fail',
      message: `No Connect user is named '${name}' (the RoleSessionName): AWS sign-in succeeds but Amazon Connect has nobody to sign in.`,
      fix: `Create the Connect user '${name}' (exactly this spelling) in instance ${instanceId}, e.g. with assignUser.`,
    };
  } catch (error) {
    if (!(error instanceof ConnectSsoError)) throw error;
    return {
      check: 'connect-user',
      status: 'fail',
      message: `The Connect users of ${instanceId} could not be read: ${error.message}`,
      fix: 'Check the instance id and that the credentials can call connect:SearchUsers and connect:ListUsers.',
    };
  }
}
