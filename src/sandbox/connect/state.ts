/**
 * State of the emulated Amazon Connect (plain JSON: see ../state.ts). Times are epoch milliseconds.
 *
 * Records keyed by a caller-chosen string (usernames, tag keys) are read and written only through the
 * own-property helpers of ./common.ts, so a name such as `__proto__` (a legal Connect username and tag
 * key) is an ordinary key and never touches an object's prototype.
 */

export type ConnectIdentityManagementType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';
export type ConnectInstanceStatus = 'CREATION_IN_PROGRESS' | 'ACTIVE' | 'CREATION_FAILED';

/** A security profile, routing profile or queue: what the list operations return of it. */
export interface ConnectNamedResource {
  id: string;
  arn: string;
  name: string;
  lastModifiedAt: number;
  lastModifiedRegion: string;
  tags: Record<string, string>;
}

export interface ConnectUserState {
  id: string;
  /** `…:instance/<instance-id>/agent/<user-id>` */
  arn: string;
  /** Case-sensitive, as Connect treats it. */
  username: string;
  identityInfo: {
    firstName?: string;
    lastName?: string;
    email?: string;
    secondaryEmail?: string;
    mobile?: string;
  };
  phoneConfig: {
    phoneType: string;
    autoAccept: boolean;
    /** Seconds (SearchUsers reports it in milliseconds, as AWS does). */
    afterContactWorkTimeLimit: number;
    deskPhoneNumber?: string;
  };
  directoryUserId?: string;
  securityProfileIds: string[];
  routingProfileId: string;
  hierarchyGroupId?: string;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  lastModifiedRegion: string;
}

export interface ConnectInstanceState {
  id: string;
  /** `arn:aws:connect:<region>:<account>:instance/<id>` */
  arn: string;
  /** The SigV4 scope region of the CreateInstance request: instances live in one region. */
  region: string;
  alias?: string;
  identityManagementType: ConnectIdentityManagementType;
  directoryId?: string;
  inboundCallsEnabled: boolean;
  outboundCallsEnabled: boolean;
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
  statusReason?: string;
  serviceRole: string;
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
