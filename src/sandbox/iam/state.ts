/**
 * State of the emulated IAM (plain JSON: see ../state.ts). Times are epoch milliseconds. Entities are
 * kept in arrays in creation order; names are unique case-insensitively, the stored case is the one given
 * at creation. Managed policies attached to users and roles are kept as ARNs on the user or role, so the
 * attachment count of a policy is derived, never stored twice.
 */

/** A tag as IAM returns it. Keys are unique case-insensitively on one resource. */
export interface IamTag {
  Key: string;
  Value: string;
}

export interface IamPolicyVersionState {
  /** `v1`, `v2`… never reused within a policy. */
  versionId: string;
  /** The document as the caller sent it (returned URL-encoded by `GetPolicyVersion`). */
  document: string;
  createdAt: number;
}

/** A customer managed policy. */
export interface IamPolicyState {
  /** `ANPA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  description?: string;
  createdAt: number;
  updatedAt: number;
  defaultVersionId: string;
  /** Oldest first. At most 5. */
  versions: IamPolicyVersionState[];
  /** The number the next version gets (`v<n>`). */
  nextVersion: number;
  tags: IamTag[];
}

export interface IamUserState {
  /** `AIDA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  /** ARNs of the attached managed policies, in attachment order. */
  attachedPolicies: string[];
}

export interface IamAccessKeyState {
  /** `AKIA` + 16 characters. */
  accessKeyId: string;
  /** 40 characters. (The field name makes `sb.state()` redact it.) */
  secretAccessKey: string;
  userName: string;
  status: 'Active' | 'Inactive';
  createdAt: number;
  /** Set by the server when the key signs a request (see `recordAccessKeyUse`). */
  lastUsed?: { at: number; serviceName: string; region: string };
}

export interface IamRoleState {
  /** `AROA…` */
  id: string;
  name: string;
  path: string;
  arn: string;
  createdAt: number;
  /** The trust policy as the caller sent it (returned URL-encoded). */
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  permissionsBoundary?: string;
  tags: IamTag[];
  /** ARNs of the attached managed policies, in attachment order. */
  attachedPolicies: string[];
  lastUsed?: { at: number; region: string };
}

export interface IamSamlProviderState {
  name: string;
  arn: string;
  /** `SAMLProviderUUID`. */
  uuid: string;
  /** The metadata document as given. */
  metadata: string;
  /** The metadata's `entityID` (the `Issuer` its SAML responses must carry). */
  entityId: string;
  /** Base64 DER of the metadata's signing certificates. */
  signingCertificates: string[];
  createdAt: number;
  validUntil: number;
  tags: IamTag[];
  assertionEncryptionMode?: 'Required' | 'Allowed';
}

export interface IamState {
  users: IamUserState[];
  roles: IamRoleState[];
  policies: IamPolicyState[];
  accessKeys: IamAccessKeyState[];
  samlProviders: IamSamlProviderState[];
  /** At most one alias, as in AWS. */
  accountAliases: string[];
}

export function createIamState(): IamState {
  return { users: [], roles: [], policies: [], accessKeys: [], samlProviders: [], accountAliases: [] };
}
