/**
 * The writes of a sync on Connect users: create (with the ownership tags and the Okta user id, no
 * `Email` on a SAML instance), names, security profiles, routing profile, hierarchy group, tags, delete,
 * and the no-access security profile `offboard: strip` leaves users with. Every call goes through the
 * caller's `pace`.
 */
import {
  CreateSecurityProfileCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  TagResourceCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from '@aws-sdk/client-connect';
import type { ConnectPhoneType } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import { ProviderError } from '../../core/errors.js';
import { awsCall } from '../../providers/aws/call.js';
import type { ConnectPace } from './connect-directory.js';

/** What a new Connect user gets. */
export interface NewConnectUser {
  /** Exactly the Okta app username. */
  username: string;
  /** First name (required by SAML instances). */
  firstName: string;
  /** Last name (required by SAML instances). */
  lastName: string;
  /** `SecondaryEmail` (SAML instances refuse `Email`), if any. */
  secondaryEmail: string | undefined;
  /** The phone. */
  phoneType: ConnectPhoneType;
  /** With `DESK_PHONE`. */
  deskPhoneNumber: string | undefined;
  /** Security profile ids (1–10). */
  securityProfileIds: string[];
  /** Routing profile id. */
  routingProfileId: string;
  /** Hierarchy group id, if any. */
  hierarchyGroupId: string | undefined;
  /** Tags: the ownership tags and {@link OKTA_USER_ID_TAG}. */
  tags: Record<string, string>;
}

/** `CreateUser` on a SAML instance: no password, no `Email`. */
export async function createConnectUserRecord(
  ctx: SsoContext,
  instanceId: string,
  user: NewConnectUser,
  pace: ConnectPace,
): Promise<{ id: string; arn: string }> {
  const created = await pace('CreateUser', () =>
    awsCall(ctx, 'connect', 'CreateUser', (o) =>
      ctx.connect.send(
        new CreateUserCommand({
          InstanceId: instanceId,
          Username: user.username,
          IdentityInfo: {
            FirstName: user.firstName,
            LastName: user.lastName,
            ...(user.secondaryEmail !== undefined ? { SecondaryEmail: user.secondaryEmail } : {}),
          },
          PhoneConfig: {
            PhoneType: user.phoneType,
            ...(user.deskPhoneNumber !== undefined ? { DeskPhoneNumber: user.deskPhoneNumber } : {}),
          },
          SecurityProfileIds: user.securityProfileIds,
          RoutingProfileId: user.routingProfileId,
          ...(user.hierarchyGroupId !== undefined ? { HierarchyGroupId: user.hierarchyGroupId } : {}),
          Tags: user.tags,
        }),
        o,
      ),
    ),
  );
  if (!created.UserId || !created.UserArn) {
    throw new ProviderError({
      service: 'connect',
      operation: 'CreateUser',
      message: 'the response has no UserId or UserArn',
    });
  }
  ctx.logger.info(`created connect user ${user.username}`, { instanceId, userId: created.UserId });
  return { id: created.UserId, arn: created.UserArn };
}

/** `UpdateUserIdentityInfo`: it replaces the whole identity, so pass every field to keep. */
export async function updateConnectUserIdentity(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  identity: {
    firstName: string;
    lastName: string;
    secondaryEmail: string | undefined;
    mobile?: string | undefined;
  },
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserIdentityInfo', () =>
    awsCall(ctx, 'connect', 'UpdateUserIdentityInfo', (o) =>
      ctx.connect.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: instanceId,
          UserId: userId,
          IdentityInfo: {
            FirstName: identity.firstName,
            LastName: identity.lastName,
            ...(identity.secondaryEmail !== undefined ? { SecondaryEmail: identity.secondaryEmail } : {}),
            ...(identity.mobile !== undefined ? { Mobile: identity.mobile } : {}),
          },
        }),
        o,
      ),
    ),
  );
}

/** The mobile number of a user, read before an identity update replaces it (`DescribeUser`). */
export async function readConnectUserMobile(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  pace: ConnectPace,
): Promise<string | undefined> {
  const { User } = await pace('DescribeUser', () =>
    awsCall(ctx, 'connect', 'DescribeUser', (o) =>
      ctx.connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }), o),
    ),
  );
  return User?.IdentityInfo?.Mobile;
}

/** `UpdateUserSecurityProfiles` (1–10 ids). */
export async function updateConnectUserSecurityProfiles(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  securityProfileIds: string[],
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserSecurityProfiles', () =>
    awsCall(ctx, 'connect', 'UpdateUserSecurityProfiles', (o) =>
      ctx.connect.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: instanceId,
          UserId: userId,
          SecurityProfileIds: securityProfileIds,
        }),
        o,
      ),
    ),
  );
}

/** `UpdateUserRoutingProfile`. */
export async function updateConnectUserRoutingProfile(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  routingProfileId: string,
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserRoutingProfile', () =>
    awsCall(ctx, 'connect', 'UpdateUserRoutingProfile', (o) =>
      ctx.connect.send(
        new UpdateUserRoutingProfileCommand({
          InstanceId: instanceId,
          UserId: userId,
          RoutingProfileId: routingProfileId,
        }),
        o,
      ),
    ),
  );
}

/** `UpdateUserHierarchy`; without a group id the user leaves its hierarchy group. */
export async function updateConnectUserHierarchy(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  hierarchyGroupId: string | undefined,
  pace: ConnectPace,
): Promise<void> {
  await pace('UpdateUserHierarchy', () =>
    awsCall(ctx, 'connect', 'UpdateUserHierarchy', (o) =>
      ctx.connect.send(
        new UpdateUserHierarchyCommand({
          InstanceId: instanceId,
          UserId: userId,
          ...(hierarchyGroupId !== undefined ? { HierarchyGroupId: hierarchyGroupId } : {}),
        }),
        o,
      ),
    ),
  );
}

/** `TagResource` on a user (adds or replaces these tags). */
export async function tagConnectUser(
  ctx: SsoContext,
  userArn: string,
  tags: Record<string, string>,
  pace: ConnectPace,
): Promise<void> {
  await pace('TagResource', () =>
    awsCall(ctx, 'connect', 'TagResource', (o) =>
      ctx.connect.send(new TagResourceCommand({ resourceArn: userArn, tags }), o),
    ),
  );
}

/** `DeleteUser`. A user already gone is not an error. */
export async function deleteConnectUserRecord(
  ctx: SsoContext,
  instanceId: string,
  userId: string,
  pace: ConnectPace,
): Promise<void> {
  try {
    await pace('DeleteUser', () =>
      awsCall(ctx, 'connect', 'DeleteUser', (o) =>
        ctx.connect.send(new DeleteUserCommand({ InstanceId: instanceId, UserId: userId }), o),
      ),
    );
  } catch (error) {
    if (error instanceof ProviderError && error.providerCode === 'ResourceNotFoundException') return;
    throw error;
  }
}

/** `CreateSecurityProfile` without permissions (what `offboard: strip` leaves users with). */
export async function createNoAccessSecurityProfile(
  ctx: SsoContext,
  instanceId: string,
  name: string,
  tags: Record<string, string>,
  pace: ConnectPace,
): Promise<string> {
  const created = await pace('CreateSecurityProfile', () =>
    awsCall(ctx, 'connect', 'CreateSecurityProfile', (o) =>
      ctx.connect.send(
        new CreateSecurityProfileCommand({
          InstanceId: instanceId,
          SecurityProfileName: name,
          Description: 'No permissions: the profile connect-okta-sso leaves offboarded users with.',
          Permissions: [],
          Tags: tags,
        }),
        o,
      ),
    ),
  );
  if (!created.SecurityProfileId) {
    throw new ProviderError({
      service: 'connect',
      operation: 'CreateSecurityProfile',
      message: 'the response has no SecurityProfileId',
    });
  }
  ctx.logger.info(`created connect security profile ${name}`, { instanceId });
  return created.SecurityProfileId;
}
