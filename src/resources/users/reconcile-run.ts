/**
 * What one `reconcileUsers` run holds while it works through its users: the bulk reads, the lazily read
 * profiles and hierarchy, and the paces; and the small questions asked of a configured user.
 */
import type { ResolvedUser } from '../../config/types.js';
import type { SsoContext } from '../../core/context.js';
import type { OktaGroupMembers } from '../okta-groups/ensure.js';
import type { Pace } from './adaptive-pacer.js';
import type { AssignmentAppView } from './app-assignment.js';
import type { ConnectProfileLists } from './connect-profiles.js';
import type { ConnectUserIndex, ConnectUserProfiles } from './connect-user-read.js';
import type { AppUserIndex, AppUserJson } from './reconcile-okta.js';
import type { ReconcileUsersInput } from './reconcile-types.js';

/** The state of one reconciliation, shared by its workers. */
export interface Run {
  ctx: SsoContext;
  input: ReconcileUsersInput;
  app: AssignmentAppView;
  appUsers: AppUserIndex;
  connect: ConnectUserIndex;
  members: OktaGroupMembers | undefined;
  /** Profiles of existing Connect users from one bulk `SearchUsers`, when that was cheaper. */
  bulkProfiles: Map<string, ConnectUserProfiles> | undefined;
  profileLists: () => Promise<ConnectProfileLists>;
  /** The hierarchy paths the users name, resolved once. */
  hierarchy: () => Promise<{ resolved: Map<string, string> }>;
  oktaPace: Pace;
  connectPace: Pace;
}

/** The app user whose username is the login (ignoring case), if exactly one. */
export function appUserByLogin(run: Run, login: string): AppUserJson | undefined {
  const same = run.appUsers.byName.get(login.toLowerCase());
  return same?.length === 1 ? same[0] : undefined;
}

/** Whether the config names profiles or a hierarchy group for this user (they are then enforced). */
export const hasExplicitProfiles = (user: ResolvedUser) =>
  user.connect.explicit.securityProfiles ||
  user.connect.explicit.routingProfile ||
  user.connect.explicit.hierarchyGroup === true;

/** The hierarchy path a user names explicitly, if any. */
export const explicitHierarchy = (user: ResolvedUser): string | undefined =>
  user.connect.explicit.hierarchyGroup === true ? user.connect.hierarchyGroup : undefined;
