/**
 * Connect users: CreateUser (with the rules of the instance's identity management type), DescribeUser,
 * ListUsers, DeleteUser, UpdateUserSecurityProfiles, UpdateUserIdentityInfo, UpdateUserRoutingProfile
 * (SearchUsers: ./search-users.ts; UpdateUserHierarchy: ./hierarchy.ts).
 *
 * Usernames are case-sensitive ("All Amazon Connect usernames are case sensitive, even when using SAML"):
 * `Jane` and `jane` are two users. The instance keeps an exact username → id index, so the duplicate check
 * and SearchUsers by exact username do not scan the users.
 */
import type { EmulatorContext } from '../emulator.js';
import {
  activeInstance,
  connectError,
  copyRecord,
  deleteOwn,
  getOwn,
  invalidParameter,
  invalidRequest,
  notFound,
  pageOf,
  requestRegion,
  setOwn,
  timestamp,
} from './common.js';
import { requireHierarchyGroup } from './hierarchy.js';
import type { ListInput } from './instances.js';
import { DEFAULT_PAGE_SIZE } from './profiles.js';
import type { ConnectInstanceState, ConnectUserState } from './state.js';

export interface IdentityInfoInput {
  FirstName?: string;
  LastName?: string;
  Email?: string;
  SecondaryEmail?: string;
  Mobile?: string;
}

export interface PhoneConfigInput {
  PhoneType: string;
  AutoAccept?: boolean;
  AfterContactWorkTimeLimit?: number;
  DeskPhoneNumber?: string;
}

export interface CreateUserInput {
  InstanceId: string;
  Username: string;
  Password?: string;
  IdentityInfo?: IdentityInfoInput;
  PhoneConfig: PhoneConfigInput;
  DirectoryUserId?: string;
  SecurityProfileIds: string[];
  RoutingProfileId: string;
  HierarchyGroupId?: string;
  Tags?: Record<string, string>;
}

export interface UserInput {
  InstanceId: string;
  UserId: string;
}

// ---------------------------------------------------------------------------------------------------
// Rules

const USERNAME_CHARS = /^[A-Za-z0-9_.@-]+$/;
/** `@` only in an e-mail form: `testuser@example.com` is fine, `testuser@example` is not. */
const EMAIL_FORM = /^[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$/;
/** The documented pattern of `SecondaryEmail`. */
const SECONDARY_EMAIL = /^(?=.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$/;

function checkUsername(instance: ConnectInstanceState, username: string): void {
  const saml = instance.identityManagementType === 'SAML';
  const max = saml ? 64 : 20;
  if (username.length > max) {
    throw invalidParameter(
      `The username ${username} is too long: ${saml ? 'with SAML identity management a username can have up to 64 characters' : 'a username can have up to 20 characters'}.`,
    );
  }
  if (!USERNAME_CHARS.test(username)) {
    throw invalidParameter(`The username ${username} is not valid: use only the characters [a-zA-Z0-9_-.@].`);
  }
  if (username.includes('@') && !EMAIL_FORM.test(username)) {
    throw invalidParameter(
      `The username ${username} is not valid: it can include @ only in an email format.`,
    );
  }
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/** The identity-information rules of the instance's directory type (CreateUser, UpdateUserIdentityInfo). */
function checkIdentityInfo(instance: ConnectInstanceState, info: IdentityInfoInput | undefined): void {
  const type = instance.identityManagementType;
  if (type === 'SAML' && info?.Email !== undefined)
    throw invalidRequest('Email is not required for this directory type');
  if (type === 'SAML' || type === 'CONNECT_MANAGED') {
    if (!present(info?.FirstName)) throw invalidRequest('FirstName is required for this directory type');
    if (!present(info?.LastName)) throw invalidRequest('LastName is required for this directory type');
  }
  if (info?.SecondaryEmail !== undefined && !SECONDARY_EMAIL.test(info.SecondaryEmail)) {
    throw invalidParameter('The SecondaryEmail is not a valid email address.');
  }
}

function checkPhoneConfig(phone: PhoneConfigInput): void {
  if (phone.PhoneType === 'DESK_PHONE' && phone.DeskPhoneNumber === undefined) {
    throw invalidParameter('A DeskPhoneNumber is required when the PhoneType is DESK_PHONE.');
  }
}

function checkSecurityProfiles(instance: ConnectInstanceState, ids: readonly string[]): string[] {
  for (const id of ids) {
    if (!getOwn(instance.securityProfiles, id)) throw notFound(`Security profile not found: ${id}`);
  }
  return [...new Set(ids)];
}

function checkRoutingProfile(instance: ConnectInstanceState, id: string): void {
  if (!getOwn(instance.routingProfiles, id)) throw notFound(`Routing profile not found: ${id}`);
}

function identityInfoOf(info: IdentityInfoInput | undefined): ConnectUserState['identityInfo'] {
  const out: ConnectUserState['identityInfo'] = {};
  if (info?.FirstName !== undefined) out.firstName = info.FirstName;
  if (info?.LastName !== undefined) out.lastName = info.LastName;
  if (info?.Email !== undefined) out.email = info.Email;
  if (info?.SecondaryEmail !== undefined) out.secondaryEmail = info.SecondaryEmail;
  if (info?.Mobile !== undefined) out.mobile = info.Mobile;
  return out;
}

function findUser(instance: ConnectInstanceState, userId: string): ConnectUserState {
  const user = getOwn(instance.users, userId);
  if (!user) throw notFound(`User not found: ${userId}`);
  return user;
}

function touch(ctx: EmulatorContext, user: ConnectUserState): void {
  user.lastModifiedAt = ctx.now();
  user.lastModifiedRegion = requestRegion(ctx);
}

// ---------------------------------------------------------------------------------------------------
// Operations

export function createUser(
  ctx: EmulatorContext,
  input: CreateUserInput,
): { UserId: string; UserArn: string } {
  const instance = activeInstance(ctx, input.InstanceId);
  const type = instance.identityManagementType;
  if (type === 'CONNECT_MANAGED') {
    // Its form is checked by the model validation (Password pattern).
    if (input.Password === undefined) throw invalidRequest('Password is required for this directory type');
  } else if (input.Password !== undefined) {
    throw invalidRequest('Password is not required for this directory type');
  }
  if (type === 'SAML' && input.DirectoryUserId !== undefined) {
    throw invalidRequest('DirectoryUserId is not required for this directory type');
  }
  checkIdentityInfo(instance, input.IdentityInfo);
  checkUsername(instance, input.Username);
  checkPhoneConfig(input.PhoneConfig);
  const securityProfileIds = checkSecurityProfiles(instance, input.SecurityProfileIds);
  checkRoutingProfile(instance, input.RoutingProfileId);
  if (input.HierarchyGroupId !== undefined) requireHierarchyGroup(instance, input.HierarchyGroupId);
  if (getOwn(instance.usernames, input.Username) !== undefined) {
    throw connectError('DuplicateResourceException', `User with username ${input.Username} already exists.`);
  }

  const id = ctx.uuid();
  const now = ctx.now();
  const user: ConnectUserState = {
    id,
    arn: `${instance.arn}/agent/${id}`,
    username: input.Username,
    identityInfo: identityInfoOf(input.IdentityInfo),
    phoneConfig: {
      phoneType: input.PhoneConfig.PhoneType,
      autoAccept: input.PhoneConfig.AutoAccept ?? false,
      afterContactWorkTimeLimit: input.PhoneConfig.AfterContactWorkTimeLimit ?? 0,
      ...(input.PhoneConfig.DeskPhoneNumber !== undefined
        ? { deskPhoneNumber: input.PhoneConfig.DeskPhoneNumber }
        : {}),
    },
    ...(input.DirectoryUserId !== undefined ? { directoryUserId: input.DirectoryUserId } : {}),
    securityProfileIds,
    routingProfileId: input.RoutingProfileId,
    ...(input.HierarchyGroupId !== undefined ? { hierarchyGroupId: input.HierarchyGroupId } : {}),
    tags: copyRecord(input.Tags ?? {}),
    createdAt: now,
    lastModifiedAt: now,
    lastModifiedRegion: requestRegion(ctx),
  };
  instance.users[id] = user;
  setOwn(instance.usernames, user.username, id);
  return { UserId: id, UserArn: user.arn };
}

export function phoneConfigOut(user: ConnectUserState, acwUnit: 'seconds' | 'milliseconds') {
  const phone = user.phoneConfig;
  return {
    PhoneType: phone.phoneType,
    AutoAccept: phone.autoAccept,
    AfterContactWorkTimeLimit:
      acwUnit === 'milliseconds' ? phone.afterContactWorkTimeLimit * 1000 : phone.afterContactWorkTimeLimit,
    ...(phone.deskPhoneNumber !== undefined ? { DeskPhoneNumber: phone.deskPhoneNumber } : {}),
  };
}

export function identityInfoOut(info: ConnectUserState['identityInfo'], lite: boolean) {
  return {
    ...(info.firstName !== undefined ? { FirstName: info.firstName } : {}),
    ...(info.lastName !== undefined ? { LastName: info.lastName } : {}),
    ...(!lite && info.email !== undefined ? { Email: info.email } : {}),
    ...(!lite && info.secondaryEmail !== undefined ? { SecondaryEmail: info.secondaryEmail } : {}),
    ...(!lite && info.mobile !== undefined ? { Mobile: info.mobile } : {}),
  };
}

export function describeUser(ctx: EmulatorContext, input: UserInput) {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = findUser(instance, input.UserId);
  return {
    User: {
      Id: user.id,
      Arn: user.arn,
      Username: user.username,
      IdentityInfo: identityInfoOut(user.identityInfo, false),
      PhoneConfig: phoneConfigOut(user, 'seconds'),
      ...(user.directoryUserId !== undefined ? { DirectoryUserId: user.directoryUserId } : {}),
      SecurityProfileIds: [...user.securityProfileIds],
      RoutingProfileId: user.routingProfileId,
      ...(user.hierarchyGroupId !== undefined ? { HierarchyGroupId: user.hierarchyGroupId } : {}),
      Tags: copyRecord(user.tags),
      LastModifiedTime: timestamp(user.lastModifiedAt),
      LastModifiedRegion: user.lastModifiedRegion,
    },
  };
}

export function listUsers(ctx: EmulatorContext, input: { InstanceId: string } & ListInput) {
  const instance = activeInstance(ctx, input.InstanceId);
  const page = pageOf(
    Object.keys(instance.users),
    (id) => {
      const user = instance.users[id] as ConnectUserState;
      return {
        Id: user.id,
        Arn: user.arn,
        Username: user.username,
        LastModifiedTime: timestamp(user.lastModifiedAt),
        LastModifiedRegion: user.lastModifiedRegion,
      };
    },
    {
      scope: `ListUsers ${instance.id}`,
      nextToken: input.NextToken,
      maxResults: input.MaxResults ?? DEFAULT_PAGE_SIZE,
      badToken: () => invalidParameter('Invalid NextToken.'),
    },
  );
  return { UserSummaryList: page.items, ...(page.nextToken ? { NextToken: page.nextToken } : {}) };
}

/** Deletes the user; its quick connects stay (as on AWS: DeleteQuickConnect removes them). */
export function deleteUser(ctx: EmulatorContext, input: UserInput): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = findUser(instance, input.UserId);
  delete instance.users[user.id];
  if (getOwn(instance.usernames, user.username) === user.id) deleteOwn(instance.usernames, user.username);
  return {};
}

export function updateUserSecurityProfiles(
  ctx: EmulatorContext,
  input: UserInput & { SecurityProfileIds: string[] },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = findUser(instance, input.UserId);
  user.securityProfileIds = checkSecurityProfiles(instance, input.SecurityProfileIds);
  touch(ctx, user);
  return {};
}

export function updateUserRoutingProfile(
  ctx: EmulatorContext,
  input: UserInput & { RoutingProfileId: string },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = findUser(instance, input.UserId);
  checkRoutingProfile(instance, input.RoutingProfileId);
  user.routingProfileId = input.RoutingProfileId;
  touch(ctx, user);
  return {};
}

/** Replaces the user's identity information, under the same rules as CreateUser. */
export function updateUserIdentityInfo(
  ctx: EmulatorContext,
  input: UserInput & { IdentityInfo: IdentityInfoInput },
): Record<string, never> {
  const instance = activeInstance(ctx, input.InstanceId);
  const user = findUser(instance, input.UserId);
  checkIdentityInfo(instance, input.IdentityInfo);
  user.identityInfo = identityInfoOf(input.IdentityInfo);
  touch(ctx, user);
  return {};
}
