/**
 * State of the emulated Amazon Connect (plain JSON: see ../state.ts). Times are epoch milliseconds.
 *
 * Records keyed by a caller-chosen string (usernames, tag keys) are read and written only through the
 * own-property helpers of ./common.ts, so a name such as `__proto__` (a legal Connect username and tag
 * key) is an ordinary key and never touches an object's prototype.
 */

/** How an instance manages its users' identities (the sandbox's flow uses `SAML`). */
export type ConnectIdentityManagementType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';
/** An instance's lifecycle status. */
export type ConnectInstanceStatus = 'CREATION_IN_PROGRESS' | 'ACTIVE' | 'CREATION_FAILED';

/** A security profile, routing profile or queue: what the list operations return of it. */
export interface ConnectNamedResource {
  /** The resource id (a UUID). */
  id: string;
  /** The resource ARN, under the instance's ARN. */
  arn: string;
  /** The resource name, e.g. `Admin`, `Basic Routing Profile`, `BasicQueue`. */
  name: string;
  /** When the resource last changed (epoch ms). */
  lastModifiedAt: number;
  /** The region of that change (the instance's region). */
  lastModifiedRegion: string;
  /** The resource's tags, key → value. */
  tags: Record<string, string>;
}

/** A user of a Connect instance. */
export interface ConnectUserState {
  /** The user id (a UUID). */
  id: string;
  /** `…:instance/<instance-id>/agent/<user-id>` */
  arn: string;
  /** Case-sensitive, as Connect treats it. */
  username: string;
  /** `IdentityInfo`; each field is absent when it was never given. */
  identityInfo: {
    /** First name. */
    firstName?: string;
    /** Last name. */
    lastName?: string;
    /** Email address. */
    email?: string;
    /** Secondary email address. */
    secondaryEmail?: string;
    /** Mobile number (E.164). */
    mobile?: string;
  };
  /** `PhoneConfig`. */
  phoneConfig: {
    /** `SOFT_PHONE` or `DESK_PHONE`. */
    phoneType: string;
    /** Whether contacts are accepted automatically. Default false. */
    autoAccept: boolean;
    /** Seconds (SearchUsers reports it in milliseconds, as AWS does). Default 0. */
    afterContactWorkTimeLimit: number;
    /** The desk phone number, when one was given. */
    deskPhoneNumber?: string;
  };
  /** `DirectoryUserId`, when one was given at creation. */
  directoryUserId?: string;
  /** Ids of the user's security profiles. */
  securityProfileIds: string[];
  /** Id of the user's routing profile. */
  routingProfileId: string;
  /** Id of the user's agent hierarchy group; the sandbox never sets it (absent). */
  hierarchyGroupId?: string;
  /** The user's tags, key → value. */
  tags: Record<string, string>;
  /** When the user was created (epoch ms). */
  createdAt: number;
  /** When the user last changed (epoch ms). */
  lastModifiedAt: number;
  /** The SigV4 scope region of the request that last changed the user. */
  lastModifiedRegion: string;
}

/** A Connect instance. */
export interface ConnectInstanceState {
  /** The instance id (a UUID). */
  id: string;
  /** `arn:aws:connect:<region>:<account>:instance/<id>` */
  arn: string;
  /** The SigV4 scope region of the CreateInstance request: instances live in one region. */
  region: string;
  /** `InstanceAlias`: always set, the sandbox requires it (unique across regions, case-insensitively). */
  alias?: string;
  /** How the instance manages identities. */
  identityManagementType: ConnectIdentityManagementType;
  /** The directory id of an `EXISTING_DIRECTORY` instance; the sandbox never sets it (absent). */
  directoryId?: string;
  /** Whether inbound calls are enabled. */
  inboundCallsEnabled: boolean;
  /** Whether outbound calls are enabled. */
  outboundCallsEnabled: boolean;
  /** When `CreateInstance` ran (epoch ms). */
  createdAt: number;
  /** When CREATION_IN_PROGRESS ends (createdAt + the sandbox's instanceCreationMs at creation). */
  readyAt: number;
  /** Decided at creation from `failInstanceAliases`: the creation ends in CREATION_FAILED. */
  willFail: boolean;
  /**
   * Stored as last observed. The move from CREATION_IN_PROGRESS happens lazily, the next time a request
   * touches the instance after `readyAt`.
   */
  status: ConnectInstanceStatus;
  /** Why the creation failed; set only with status `CREATION_FAILED`. */
  statusReason?: string;
  /** ARN of the instance's `AWSServiceRoleForAmazonConnect_…` service-linked role. */
  serviceRole: string;
  /** The instance's tags, key → value. */
  tags: Record<string, string>;
  /** Filled in when the instance becomes ACTIVE: Admin, Agent, CallCenterManager, QualityAnalyst. */
  securityProfiles: Record<string, ConnectNamedResource>;
  /** Filled in when the instance becomes ACTIVE: Basic Routing Profile. */
  routingProfiles: Record<string, ConnectNamedResource>;
  /** Filled in when the instance becomes ACTIVE: BasicQueue. */
  queues: Record<string, ConnectNamedResource>;
  /** By user id, in creation order. */
  users: Record<string, ConnectUserState>;
  /** Exact (case-sensitive) username → user id: SearchUsers by exact username and the duplicate check. */
  usernames: Record<string, string>;
}

/** The emulated Amazon Connect's part of the sandbox state. */
export interface ConnectState {
  /** By instance id, in creation order, every region. */
  instances: Record<string, ConnectInstanceState>;
  /**
   * Lower-case alias → instance id. Aliases are unique across every region (an alias becomes the DNS
   * name `<alias>.my.connect.aws`).
   */
  aliases: Record<string, string>;
  /** `<region> <ClientToken>` of a CreateInstance → the instance it created (idempotent retries). */
  createTokens: Record<string, string>;
  /** `<region> <ClientToken>` of a DeleteInstance → the instance it deleted. */
  deleteTokens: Record<string, string>;
  /** Epoch ms of every instance creation and deletion (at most 100 per 30 days per account). */
  instanceChanges: number[];
}

export function createConnectState(): ConnectState {
  return { instances: {}, aliases: {}, createTokens: {}, deleteTokens: {}, instanceChanges: [] };
}
