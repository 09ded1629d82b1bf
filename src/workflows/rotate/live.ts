/**
 * What a rotation reads and writes of the live setup besides the keys: this stack's IAM SAML provider
 * and Okta app (refusing anything it does not own), the provider's metadata, the app's signing key.
 */
import type { ResolvedApp } from '../../config/index.js';
import type { SsoContext } from '../../core/context.js';
import { ConflictError, ConnectSsoError } from '../../core/errors.js';
import { send } from '../../providers/aws/send.js';
import { ownerDescription, ownershipOf } from '../../providers/aws/tags.js';
import {
  appOwnership,
  findAppsByLabel,
  getOktaApp,
  type OktaAppJson,
  ownershipMarker,
  replaceOktaApp,
} from '../../resources/okta-app/ensure.js';
import { findProvider } from '../../resources/saml-provider-role/read.js';

/** The IAM SAML provider of an app, as the rotation knows it. */
export interface Provider {
  arn: string;
  name: string;
  metadataXml: string;
}

/** The stack's SAML provider of this name; undefined when there is none. @throws {ConflictError} not ours. */
export async function findOwnProvider(ctx: SsoContext, name: string): Promise<Provider | undefined> {
  const provider = await findProvider(ctx, name);
  if (!provider) return undefined;
  const owner = ownershipOf(ctx, provider.tags);
  if (owner !== 'ours') {
    throw new ConflictError(
      `iam saml-provider ${name}`,
      `The IAM SAML provider '${name}' ${ownerDescription(ctx, owner, provider.tags)}: the rotation does not change it. Run apply with adopt: true first if it is this setup's.`,
    );
  }
  return { arn: provider.arn, name, metadataXml: provider.metadataXml };
}

/** The stack's one Okta app with the app's label. @throws {ConnectSsoError} none or several. @throws {ConflictError} not ours. */
export async function findApp(ctx: SsoContext, app: ResolvedApp): Promise<OktaAppJson> {
  const found = await findAppsByLabel(ctx, app.label);
  if (found.length !== 1) {
    throw new ConnectSsoError(
      'NOT_PROVISIONED',
      found.length === 0
        ? `No Okta amazon_aws app is labelled "${app.label}": run provision first.`
        : `${found.length} Okta amazon_aws apps are labelled "${app.label}" (${found.map((a) => a.id).join(', ')}): rename or delete all but one.`,
    );
  }
  const okta = found[0] as OktaAppJson;
  const owner = appOwnership(ctx, okta);
  if (owner.owner !== 'ours') {
    throw new ConflictError(
      `okta app "${app.label}"`,
      `The Okta app "${app.label}" (${okta.id}) does not carry '${ownershipMarker(ctx.stack)}' in its admin notes: the rotation does not change it. Run provision with adopt: true first if it is this setup's.`,
    );
  }
  return okta;
}

/** Replace the provider's metadata (the certificates IAM trusts). */
export async function setProviderMetadata(
  ctx: SsoContext,
  provider: Provider,
  xml: string,
  what: string,
): Promise<void> {
  await send(ctx, 'iam', 'UpdateSAMLProvider', { SAMLProviderArn: provider.arn, SAMLMetadataDocument: xml });
  ctx.logger.info(`updated iam saml-provider ${provider.name} metadata: ${what}`, { arn: provider.arn });
}

/** Make the app sign with key `kid`. */
export async function switchKey(ctx: SsoContext, appId: string, kid: string): Promise<void> {
  // GET right before the full replace: every other field (settings.app, the relay state) is kept.
  const fresh = await getOktaApp(ctx, appId);
  fresh.credentials = { ...fresh.credentials, signing: { ...fresh.credentials?.signing, kid } };
  await replaceOktaApp(ctx, fresh);
  ctx.logger.info(`switched okta app ${fresh.label} (${appId}) to signing key ${kid}`, { appId, kid });
}
