/** The one place that finds an app's IAM SAML provider and role, and the role's attached policies. */
import type { Role } from '@aws-sdk/client-iam';
import type { SsoContext } from '../../core/context.js';
import { isAwsError } from '../../providers/aws/call.js';
import { send, sendPages } from '../../providers/aws/send.js';
import { parseIdpMetadata } from '../../saml/metadata.js';

/** An IAM SAML provider as the library reads it. */
export interface ProviderState {
  arn: string;
  name: string;
  metadataXml: string;
  tags: { Key?: string | undefined; Value?: string | undefined }[];
}

/** The account's IAM SAML providers, by lower-cased name (IAM names are unique without regard to case). */
export async function listSamlProviders(ctx: SsoContext): Promise<Map<string, string>> {
  const list = await send(ctx, 'iam', 'ListSAMLProviders', {});
  const byName = new Map<string, string>();
  for (const p of list.SAMLProviderList ?? []) {
    const name = p.Arn?.split(':saml-provider/')[1];
    if (p.Arn && name) byName.set(name.toLowerCase(), p.Arn);
  }
  return byName;
}

/** One provider by ARN: its name, metadata document and tags; undefined when it does not exist. */
export async function getSamlProvider(ctx: SsoContext, arn: string): Promise<ProviderState | undefined> {
  try {
    const provider = await send(ctx, 'iam', 'GetSAMLProvider', { SAMLProviderArn: arn });
    return {
      arn,
      name: arn.split(':saml-provider/')[1] ?? arn,
      metadataXml: provider.SAMLMetadataDocument ?? '',
      tags: provider.Tags ?? [],
    };
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

/** The provider named `name` (any case), or undefined. The one lookup of a SAML provider by name. */
export async function findProvider(ctx: SsoContext, name: string): Promise<ProviderState | undefined> {
  const arn = (await listSamlProviders(ctx)).get(name.toLowerCase());
  return arn ? getSamlProvider(ctx, arn) : undefined;
}

/** The role named `roleName`, or undefined. */
export async function findRole(ctx: SsoContext, roleName: string): Promise<Role | undefined> {
  try {
    const { Role: role } = await send(ctx, 'iam', 'GetRole', { RoleName: roleName });
    return role;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

/** The ARNs of the managed policies attached to a role (every page). */
export async function attachedPolicies(ctx: SsoContext, roleName: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = sendPages(ctx, 'iam', 'ListAttachedRolePolicies', { RoleName: roleName });
  for await (const page of pages)
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) arns.push(p.PolicyArn);
  return arns;
}

/** The certificates (base64 DER) and entity id of stored metadata; empty when it no longer parses. */
export function storedMetadata(xml: string): { certificates: Set<string>; entityId: string | undefined } {
  try {
    const parsed = parseIdpMetadata(xml, 'stored metadata');
    return {
      certificates: new Set(parsed.signingCertificates.map((c) => c.base64)),
      entityId: parsed.entityId,
    };
  } catch {
    return { certificates: new Set(), entityId: undefined };
  }
}

/** The names of the role's inline policies (every page). */
export async function inlinePolicies(ctx: SsoContext, roleName: string): Promise<string[]> {
  const names: string[] = [];
  const pages = sendPages(ctx, 'iam', 'ListRolePolicies', { RoleName: roleName });
  for await (const page of pages) names.push(...(page.PolicyNames ?? []));
  return names;
}
