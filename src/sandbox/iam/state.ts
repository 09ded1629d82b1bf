/**
 * State of the emulated IAM (plain JSON: see ../state.ts). Times are epoch milliseconds. Entities are
 * kept in arrays in creation order; names are unique case-insensitively, the stored case is the one given
 * at creation. Managed policies attached to users and roles are kept as ARNs on the user or role, so the
 * attachment count of a policy is derived, never stored twice.
 */

/** A tag as IAM returns it. Keys are unique case-insensitively on one resource. */
export interface IamTag {
  /** Tag key. */
  Key: string;
  /** Tag value (may be empty). */
  Value: string;
}

/** One version of a managed policy's document. */
export interface IamPolicyVersionState {
  /** `v1`, `v2`… never reused within a policy. */
  versionId: string;
  /** The document as the caller sent it (returned URL-encoded by `GetPolicyVersion`). */
  document: string;
  /** When the version was created (epoch ms). */
  createdAt: number;
}

/** A customer managed policy. */
export interface IamPolicyState {
  /** `ANPA…` */
  id: string;
  /** The policy name, unique case-insensitively in the account. */
  name: string;
  /** The IAM path, `/` by default. */
  path: string;
  /** `arn:aws:iam::<account>:policy<path><name>` (`arn:aws:iam::aws:policy/…` for AWS managed ones). */
  arn: string;
  /** The description given at creation; absent when none was. */
  description?: string;
  /** When the policy was created (epoch ms). */
  createdAt: number;
  /** When the policy last changed, i.e. its default version was set (epoch ms). */
  updatedAt: number;
  /** The `versionId` of the version in force. */
  defaultVersionId: string;
  /** Oldest first. At most 5. */
  versions: IamPolicyVersionState[];
  /** The number the next version gets (`v<n>`). */
  nextVersion: number;
  /** The policy's tags. */
  tags: IamTag[];
}

/** An IAM user. */
export interface IamUserState {
  /** `AIDA…` */
  id: string;
  /** The user name, unique case-insensitively in the account. */
  name: string;
  /** The IAM path, `/` by default. */
  path: string;
  /** `arn:aws:iam::<account>:user<path><name>` */
  arn: string;
  /** When the user was created (epoch ms). */
  createdAt: number;
  /** ARN of the managed policy set as permissions boundary; absent when none. */
  permissionsBoundary?: string;
  /** The user's tags. */
  tags: IamTag[];
  /** ARNs of the attached managed policies, in attachment order. */
  attachedPolicies: string[];
}

/** An access key of an IAM user. */
export interface IamAccessKeyState {
  /** `AKIA` + 16 characters. */
  accessKeyId: string;
  /** 40 characters. (The field name makes `sb.state()` redact it.) */
  secretAccessKey: string;
  /** The name of the user the key belongs to. */
  userName: string;
  /** Only an `Active` key can sign requests. */
  status: 'Active' | 'Inactive';
  /** When the key was created (epoch ms). */
  createdAt: number;
  /** Set by the server when the key signs a request (see `recordAccessKeyUse`); absent while never used. */
  lastUsed?: {
    /** When the key last signed a request (epoch ms). */
    at: number;
    /** The service of that request (`iam`, `connect`…). */
    serviceName: string;
    /** The region of that request's SigV4 scope. */
    region: string;
  };
}

/** An IAM role. */
export interface IamRoleState {
  /** `AROA…` */
  id: string;
  /** The role name, unique case-insensitively in the account. */
  name: string;
  /** The IAM path, `/` by default. */
  path: string;
  /** `arn:aws:iam::<account>:role<path><name>` */
  arn: string;
  /** When the role was created (epoch ms). */
  createdAt: number;
  /** The trust policy as the caller sent it (returned URL-encoded). */
  assumeRolePolicyDocument: string;
  /** The role's description; absent when none was given. */
  description?: string;
  /** Longest session allowed when the role is assumed, in seconds (3600–43200; default 3600). */
  maxSessionDuration: number;
  /** ARN of the managed policy set as permissions boundary; absent when none. */
  permissionsBoundary?: string;
  /** The role's tags. */
  tags: IamTag[];
  /** ARNs of the attached managed policies, in attachment order. */
  attachedPolicies: string[];
  /** Set when a sandbox sign-in (`sb.login`) assumes the role; absent while never used. */
  lastUsed?: {
    /** When the role was last assumed (epoch ms). */
    at: number;
    /** The sandbox's region. */
    region: string;
  };
}

/** An IAM SAML identity provider. */
export interface IamSamlProviderState {
  /** The provider name, unique in the account. */
  name: string;
  /** `arn:aws:iam::<account>:saml-provider/<name>` */
  arn: string;
  /** `SAMLProviderUUID`. */
  uuid: string;
  /** The metadata document as given. */
  metadata: string;
  /** The metadata's `entityID` (the `Issuer` its SAML responses must carry). */
  entityId: string;
  /** Base64 DER of the metadata's signing certificates. */
  signingCertificates: string[];
  /** When the provider was created (epoch ms). */
  createdAt: number;
  /** The metadata's `validUntil` (epoch ms); without one, 100 years after creation, as AWS does. */
  validUntil: number;
  /** The provider's tags. */
  tags: IamTag[];
  /** `AssertionEncryptionMode` when one was set (the sandbox accepts only `Allowed`); absent otherwise. */
  assertionEncryptionMode?: 'Required' | 'Allowed';
}

/** The emulated IAM's part of the sandbox state. */
export interface IamState {
  /** IAM users, in creation order. */
  users: IamUserState[];
  /** IAM roles, in creation order. */
  roles: IamRoleState[];
  /** Customer managed policies, in creation order. */
  policies: IamPolicyState[];
  /** Access keys of every user, in creation order. */
  accessKeys: IamAccessKeyState[];
  /** SAML identity providers, in creation order. */
  samlProviders: IamSamlProviderState[];
  /** At most one alias, as in AWS. */
  accountAliases: string[];
}

export function createIamState(): IamState {
  return { users: [], roles: [], policies: [], accessKeys: [], samlProviders: [], accountAliases: [] };
}
