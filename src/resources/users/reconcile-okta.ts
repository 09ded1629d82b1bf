/**
 * The Okta reads of `reconcileUsers`: every user of the app in pages (`GET /apps/{id}/users`, 500 a page),
 * and — only for a user that needs it — the Okta user by login or id and its app user. The per-user
 * reads go through the run's pace.
 */
import type { SsoContext } from '../../core/context.js';
import { ConfigError } from '../../core/errors.js';
import { isOktaError, oktaPages, oktaRequest } from '../../providers/okta/transport.js';
import type { Pace } from './adaptive-pacer.js';
import type { AppUserView } from './app-assignment.js';

/** An Okta user as `GET /users/{id}` returns it (only what is read). */
export interface OktaUserJson {
  id: string;
  status?: string;
  profile?: Record<string, unknown>;
}

/** An app user as `GET /apps/{id}/users` returns it. */
export interface AppUserJson extends AppUserView {
  id: string;
}

/** All users of an app, by id and by lower-cased app username. */
export interface AppUserIndex {
  byId: Map<string, AppUserJson>;
  byName: Map<string, AppUserJson[]>;
}

const APP_USERS_PAGE = 500;

/** All users of the app, by id and by lower-cased app username. */
export async function listAppUsers(ctx: SsoContext, appId: string): Promise<AppUserIndex> {
  const byId = new Map<string, AppUserJson>();
  const byName = new Map<string, AppUserJson[]>();
  for await (const page of oktaPages<AppUserJson>(
    ctx,
    'ListApplicationUsers',
    `/api/v1/apps/${encodeURIComponent(appId)}/users`,
    { limit: APP_USERS_PAGE },
  )) {
    for (const appUser of page) {
      byId.set(appUser.id, appUser);
      const name = appUser.credentials?.userName;
      if (typeof name === 'string') {
        const key = name.toLowerCase();
        const same = byName.get(key);
        if (same) same.push(appUser);
        else byName.set(key, [appUser]);
      }
    }
  }
  return { byId, byName };
}

/**
 * The Okta user by login or id (`GET /users/{idOrLogin}`); a user that is not ACTIVE is logged as a warning.
 * @throws {ConfigError} (`field`) there is no such user.
 */
export async function getOktaUser(
  ctx: SsoContext,
  pace: Pace,
  idOrLogin: string,
  field: string,
): Promise<OktaUserJson> {
  try {
    const { data } = await pace('GetUser', () =>
      oktaRequest<OktaUserJson>(ctx, 'GetUser', {
        method: 'GET',
        path: `/api/v1/users/${encodeURIComponent(idOrLogin)}`,
      }),
    );
    if (data.status !== undefined && data.status !== 'ACTIVE') {
      ctx.logger.warn(`okta user ${idOrLogin} is ${data.status}: it cannot sign in until it is ACTIVE`, {
        oktaUserId: data.id,
      });
    }
    return data;
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) {
      throw new ConfigError(field, `no Okta user with login '${idOrLogin}'`);
    }
    throw error;
  }
}

/** The app user of one Okta user (`GET /apps/{appId}/users/{userId}`), or `undefined` when it is not one. */
export async function readAppUser(
  ctx: SsoContext,
  pace: Pace,
  appId: string,
  oktaUserId: string,
): Promise<AppUserJson | undefined> {
  try {
    const { data } = await pace('GetApplicationUser', () =>
      oktaRequest<AppUserJson>(ctx, 'GetApplicationUser', {
        method: 'GET',
        path: `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(oktaUserId)}`,
      }),
    );
    return data;
  } catch (error) {
    if (isOktaError(error, 'E0000007') || isOktaError(error, 404)) return undefined;
    throw error;
  }
}
