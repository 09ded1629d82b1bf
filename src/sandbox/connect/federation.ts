/**
 * GetFederationToken: the token of the Connect user that corresponds to the caller's IAM identity. For an
 * assumed-role session (the SAML sign-in) that is the user whose Username equals the RoleSessionName,
 * exactly (usernames are case-sensitive). Root and IAM-user credentials are not federated identities.
 */
import type { AwsCaller, EmulatorContext } from '../emulator.js';
import { activeInstance, connectError, getOwn, invalidRequest, timestamp } from './common.js';
import type { InstanceIdInput } from './instances.js';
import type { ConnectInstanceState } from './state.js';

/** How long the tokens GetFederationToken issues are valid. */
export const ACCESS_TOKEN_TTL_MS = 60 * 60 * 1000;
export const REFRESH_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface FederationToken {
  Credentials: {
    AccessToken: string;
    AccessTokenExpiration: Date;
    RefreshToken: string;
    RefreshTokenExpiration: Date;
  };
  SignInUrl: string;
  UserArn: string;
  UserId: string;
}

/** The RoleSessionName of an assumed-role caller (temporary credentials from AssumeRoleWithSAML). */
function roleSessionNameOf(caller: AwsCaller): string | undefined {
  return caller.kind === 'assumed-role' ? caller.roleSessionName : undefined;
}

function principalOf(
  ctx: EmulatorContext,
  caller: AwsCaller | undefined,
): { principal: string; user: string } {
  if (caller?.kind === 'user') {
    return { principal: `arn:aws:iam::${ctx.accountId}:user/${caller.userName}`, user: caller.userId };
  }
  return { principal: `arn:aws:iam::${ctx.accountId}:root`, user: ctx.accountId };
}

/**
 * The token for the Connect user named `username` in an ACTIVE instance (the SAML sign-in endpoint calls
 * this with the RoleSessionName of the assumed role). UserNotFoundException when there is no such user.
 */
export function federationTokenFor(
  ctx: EmulatorContext,
  instance: ConnectInstanceState,
  username: string,
): FederationToken {
  const userId = getOwn(instance.usernames, username);
  const user = userId !== undefined ? getOwn(instance.users, userId) : undefined;
  if (!user) {
    throw connectError(
      'UserNotFoundException',
      'No user with the specified credentials was found in the Amazon Connect instance.',
    );
  }
  const now = ctx.now();
  return {
    Credentials: {
      AccessToken: ctx.randomId(64, TOKEN_ALPHABET),
      AccessTokenExpiration: timestamp(now + ACCESS_TOKEN_TTL_MS),
      RefreshToken: ctx.randomId(64, TOKEN_ALPHABET),
      RefreshTokenExpiration: timestamp(now + REFRESH_TOKEN_TTL_MS),
    },
    SignInUrl: `https://${instance.alias ?? instance.id}.my.connect.aws/auth/sign-in`,
    UserArn: user.arn,
    UserId: user.id,
  };
}

export function getFederationToken(ctx: EmulatorContext, input: InstanceIdInput): FederationToken {
  const instance = activeInstance(ctx, input.InstanceId);
  const caller = ctx.caller;
  const session = caller ? roleSessionNameOf(caller) : undefined;
  if (session === undefined) {
    const { principal, user } = principalOf(ctx, caller);
    throw invalidRequest(
      `Provided identity: Principal: ${principal} User: ${user} cannot be used for federation with Amazon Connect`,
    );
  }
  return federationTokenFor(ctx, instance, session);
}
