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

/** A security profile: a named resource with what CreateSecurityProfile was given (the defaults: neither). */
export interface ConnectSecurityProfileState extends ConnectNamedResource {
  /** The profile's description. */
  description?: string;
  /** The permissions it grants (`BasicAgentAccess`, …); empty grants nothing. */
  permissions?: string[];
}

/** A routing profile: a named resource with what DescribeRoutingProfile reports of it. */
export interface ConnectRoutingProfileState extends ConnectNamedResource {
  /** The profile's description (the default profile's: `Default routing profile`). */
  description?: string;
  /** The id of the queue outbound calls go to (the default profile's: BasicQueue). */
  defaultOutboundQueueId?: string;
  /** Contacts per channel an agent takes at once. */
  mediaConcurrencies?: {
    /** `VOICE`, `CHAT`, `TASK` or `EMAIL`. */
    channel: string;
    /** 1–10 (VOICE: 1). */
    concurrency: number;
  }[];
  /** The queues the profile routes from, by channel, with priority and delay. */
  queueConfigs?: {
    /** The queue id. */
    queueId: string;
    /** The channel. */
    channel: string;
    /** 1–99, 1 first. */
    priority: number;
    /** Seconds a contact waits before it is routed to an agent of this profile. */
    delay: number;
  }[];
  /** `AgentAvailabilityTimer`, when given. */
  agentAvailabilityTimer?: string;
  /** Whether it is the instance's default profile (`Basic Routing Profile`). */
  isDefault?: boolean;
}

/** A level of the agent hierarchy (up to five, `LevelOne`…`LevelFive`). */
export interface ConnectHierarchyLevelState {
  /** The level id (a UUID). */
  id: string;
  /** `…:instance/<instance-id>/agent-group-level/<n>` */
  arn: string;
  /** The level's name, e.g. `Floor`. */
  name: string;
  /** When the level last changed (epoch ms). */
  lastModifiedAt: number;
  /** The region of that change. */
  lastModifiedRegion: string;
}

/** An agent hierarchy group: a node of the hierarchy, at the level below its parent's. */
export interface ConnectHierarchyGroupState {
  /** The group id (a UUID). */
  id: string;
  /** `…:instance/<instance-id>/agent-group/<group-id>` */
  arn: string;
  /** The group's name (unique among its siblings). */
  name: string;
  /** 1 for a group without parent, up to 5. */
  level: number;
  /** The parent group's id; absent at level 1. */
  parentId?: string;
  /** The group's tags, key → value. */
  tags: Record<string, string>;
  /** When the group last changed (epoch ms). */
  lastModifiedAt: number;
  /** The region of that change. */
  lastModifiedRegion: string;
}

/** A quick connect: a transfer destination (a user, a queue or a phone number). */
export interface ConnectQuickConnectState {
  /** The quick connect id (a UUID). */
  id: string;
  /** `…:instance/<instance-id>/transfer-destination/<id>` */
  arn: string;
  /** The name, unique in the instance. */
  name: string;
  /** The description, when given. */
  description?: string;
  /** `USER`, `QUEUE` or `PHONE_NUMBER`. */
  type: 'USER' | 'QUEUE' | 'PHONE_NUMBER';
  /** USER: the user it transfers to. It stays when the user is deleted, as on AWS. */
  userId?: string;
  /** QUEUE: the queue it transfers to. */
  queueId?: string;
  /** USER or QUEUE: the transfer flow (not checked: the sandbox emulates no contact flows). */
  contactFlowId?: string;
  /** PHONE_NUMBER: the E.164 number. */
  phoneNumber?: string;
  /** The quick connect's tags, key → value. */
  tags: Record<string, string>;
  /** When it last changed (epoch ms). */
  lastModifiedAt: number;
  /** The region of that change. */
  lastModifiedRegion: string;
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
  /** Id of the user's agent hierarchy group (UpdateUserHierarchy, or CreateUser's HierarchyGroupId). */
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
  securityProfiles: Record<string, ConnectSecurityProfileState>;
  /** Filled in when the instance becomes ACTIVE: Basic Routing Profile; CreateRoutingProfile adds more. */
  routingProfiles: Record<string, ConnectRoutingProfileState>;
  /** Filled in when the instance becomes ACTIVE: BasicQueue. */
  queues: Record<string, ConnectNamedResource>;
  /** By user id, in creation order. */
  users: Record<string, ConnectUserState>;
  /**
   * The agent hierarchy's levels, LevelOne first (UpdateUserHierarchyStructure); absent until defined
   * (and in state files written before the sandbox emulated hierarchies).
   */
  hierarchyLevels?: ConnectHierarchyLevelState[];
  /** Agent hierarchy groups by id, in creation order. */
  hierarchyGroups?: Record<string, ConnectHierarchyGroupState>;
  /** Quick connects by id, in creation order. */
  quickConnects?: Record<string, ConnectQuickConnectState>;
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
