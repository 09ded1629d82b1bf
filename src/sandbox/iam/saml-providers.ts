import type {
  CreateSAMLProviderRequest,
  CreateSAMLProviderResponse,
  DeleteSAMLProviderRequest,
  GetSAMLProviderRequest,
  GetSAMLProviderResponse,
  ListSAMLProvidersResponse,
  UpdateSAMLProviderRequest,
  UpdateSAMLProviderResponse,
} from '@aws-sdk/client-iam';
import {
  type Ctx,
  date,
  entityAlreadyExists,
  iamState,
  initialTags,
  invalidInput,
  limitExceeded,
  noSuchEntity,
  requireArn,
  required,
  sameName,
  tagsOutput,
} from './common.js';
import { parseSamlMetadata, type SamlMetadata } from './metadata.js';
import type { IamSamlProviderState } from './state.js';
import { tagOperations } from './tag-operations.js';

export const MAX_SAML_PROVIDERS = 100;
/** Without a `validUntil` in the metadata, AWS keeps a provider valid for 100 years. */
const DEFAULT_VALIDITY_YEARS = 100;
const BAD_METADATA = 'Could not parse metadata';

// ---------------------------------------------------------------------------------------------------------
// Metadata

function requireMetadata(xml: string): SamlMetadata {
  const metadata = parseSamlMetadata(xml);
  if (!metadata) throw invalidInput(BAD_METADATA);
  return metadata;
}

function validUntilOf(metadata: SamlMetadata, createdAt: number): number {
  if (metadata.validUntil !== undefined) return metadata.validUntil;
  const d = new Date(createdAt);
  d.setUTCFullYear(d.getUTCFullYear() + DEFAULT_VALIDITY_YEARS);
  return d.getTime();
}

// ---------------------------------------------------------------------------------------------------------
// Lookups

export function samlProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/${name}`;
}

/** The provider an ARN names (the name compares without case), or undefined. */
export function findSamlProvider(ctx: Ctx, arn: string): IamSamlProviderState | undefined {
  const parsed = requireArn(arn);
  if (
    parsed.service !== 'iam' ||
    parsed.account !== ctx.accountId ||
    !parsed.resource.startsWith('saml-provider/')
  ) {
    return undefined;
  }
  const name = parsed.resource.slice('saml-provider/'.length);
  return iamState(ctx).samlProviders.find((p) => sameName(p.name, name));
}

function requireSamlProvider(ctx: Ctx, arn: string): IamSamlProviderState {
  const provider = findSamlProvider(ctx, arn);
  if (!provider) throw noSuchEntity(`Manifest not found for arn ${arn}`);
  return provider;
}

function encryptionMode(mode: string | undefined): { assertionEncryptionMode?: 'Allowed' } {
  if (mode === undefined) return {};
  if (mode === 'Required') {
    // Encrypted assertions need private keys (AddPrivateKey), which the sandbox does not emulate.
    throw invalidInput(
      'The sandbox does not emulate encrypted SAML assertions: AssertionEncryptionMode Required needs a private key.',
    );
  }
  return { assertionEncryptionMode: 'Allowed' };
}

function refusePrivateKeys(input: {
  AddPrivateKey?: string | undefined;
  RemovePrivateKey?: string | undefined;
}): void {
  if (input.AddPrivateKey !== undefined || input.RemovePrivateKey !== undefined) {
    throw invalidInput(
      'The sandbox does not emulate SAML provider private keys (AddPrivateKey, RemovePrivateKey).',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Operations

export function createSAMLProvider(ctx: Ctx, input: CreateSAMLProviderRequest): CreateSAMLProviderResponse {
  const state = iamState(ctx);
  const name = required(input.Name, 'Name');
  const xml = required(input.SAMLMetadataDocument, 'SAMLMetadataDocument');
  if (state.samlProviders.some((p) => sameName(p.name, name))) {
    throw entityAlreadyExists(`SAMLProvider with name ${name} already exists.`);
  }
  refusePrivateKeys(input);
  const mode = encryptionMode(input.AssertionEncryptionMode);
  const metadata = requireMetadata(xml);
  const tags = initialTags('SAMLProvider', input.Tags);
  if (state.samlProviders.length >= MAX_SAML_PROVIDERS) {
    throw limitExceeded(`Cannot exceed quota for SAMLProvidersPerAccount: ${MAX_SAML_PROVIDERS}`);
  }
  const now = ctx.now();
  const provider: IamSamlProviderState = {
    name,
    arn: samlProviderArn(ctx.accountId, name),
    uuid: `SAML${ctx.randomId(18)}`,
    metadata: xml,
    entityId: metadata.entityId,
    signingCertificates: metadata.signingCertificates,
    createdAt: now,
    validUntil: validUntilOf(metadata, now),
    tags,
    ...mode,
  };
  state.samlProviders.push(provider);
  return { SAMLProviderArn: provider.arn, ...tagsOutput(provider.tags) };
}

export function getSAMLProvider(ctx: Ctx, input: GetSAMLProviderRequest): GetSAMLProviderResponse {
  const provider = requireSamlProvider(ctx, required(input.SAMLProviderArn, 'SAMLProviderArn'));
  return {
    SAMLProviderUUID: provider.uuid,
    SAMLMetadataDocument: provider.metadata,
    CreateDate: date(provider.createdAt),
    ValidUntil: date(provider.validUntil),
    ...tagsOutput(provider.tags),
    ...(provider.assertionEncryptionMode
      ? { AssertionEncryptionMode: provider.assertionEncryptionMode }
      : {}),
  };
}

export function updateSAMLProvider(ctx: Ctx, input: UpdateSAMLProviderRequest): UpdateSAMLProviderResponse {
  const provider = requireSamlProvider(ctx, required(input.SAMLProviderArn, 'SAMLProviderArn'));
  refusePrivateKeys(input);
  const mode = encryptionMode(input.AssertionEncryptionMode);
  if (input.SAMLMetadataDocument !== undefined) {
    const metadata = requireMetadata(input.SAMLMetadataDocument);
    provider.metadata = input.SAMLMetadataDocument;
    provider.entityId = metadata.entityId;
    provider.signingCertificates = metadata.signingCertificates;
    provider.validUntil = validUntilOf(metadata, provider.createdAt);
  }
  if (mode.assertionEncryptionMode) provider.assertionEncryptionMode = mode.assertionEncryptionMode;
  return { SAMLProviderArn: provider.arn };
}

/** Every provider (this operation has no paging in the model). */
export function listSAMLProviders(ctx: Ctx): ListSAMLProvidersResponse {
  const providers = [...iamState(ctx).samlProviders].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return {
    SAMLProviderList: providers.map((p) => ({
      Arn: p.arn,
      ValidUntil: date(p.validUntil),
      CreateDate: date(p.createdAt),
    })),
  };
}

/** Roles whose trust policies name the provider are left as they are (as in AWS). */
export function deleteSAMLProvider(ctx: Ctx, input: DeleteSAMLProviderRequest): Record<string, never> {
  const state = iamState(ctx);
  const provider = requireSamlProvider(ctx, required(input.SAMLProviderArn, 'SAMLProviderArn'));
  state.samlProviders = state.samlProviders.filter((p) => p !== provider);
  return {};
}

const samlProviderTags = tagOperations('SAMLProvider', 'SAMLProviderArn', requireSamlProvider);
export const tagSAMLProvider = samlProviderTags.tag;
export const untagSAMLProvider = samlProviderTags.untag;
export const listSAMLProviderTags = samlProviderTags.list;
