/**
 * The permission check of a request signed by an IAM user or an assumed role: the identity-based
 * policies attached to that principal must allow the action, as IAM evaluates them.
 */

import { isQuery } from './authenticate.js';
import type { EmulatorContext } from './emulator.js';
import { ServiceError } from './emulator.js';
import { rolePolicyDocuments, userPolicyDocuments } from './iam/index.js';
import { evaluatePolicies } from './policy.js';
import type { ServiceName } from './types.js';

/**
 * A request signed by an IAM user's key, or by an assumed role's temporary credentials, is allowed
 * only if the user's (the role's) attached policies allow the action on `resource`.
 */
export function authorize(
  ctx: EmulatorContext,
  action: string,
  service: ServiceName,
  resource: string,
): void {
  const caller = ctx.caller;
  if (!caller || caller.kind === 'root') return;
  const user = caller.kind === 'user';
  const documents = user
    ? userPolicyDocuments(ctx.state.iam, caller.userName)
    : rolePolicyDocuments(ctx.state.iam, caller.roleName);
  const principal = user
    ? `arn:aws:iam::${ctx.accountId}:user/${caller.userName}`
    : `arn:aws:sts::${ctx.accountId}:assumed-role/${caller.roleName}/${caller.roleSessionName}`;
  const { decision } = evaluatePolicies(documents, {
    action,
    resource,
    context: user
      ? {
          'aws:userid': caller.userId,
          'aws:username': caller.userName,
          'aws:PrincipalAccount': ctx.accountId,
        }
      : {
          'aws:userid': `${caller.roleId}:${caller.roleSessionName}`,
          'aws:PrincipalArn': caller.roleArn,
          'aws:PrincipalAccount': ctx.accountId,
        },
  });
  if (decision === 'Allow') return;
  const why =
    decision === 'ExplicitDeny'
      ? `with an explicit deny in an identity-based policy`
      : `because no identity-based policy allows the ${action} action`;
  const shown =
    resource !== '*'
      ? resource
      : service === 'iam'
        ? `arn:aws:iam::${ctx.accountId}:*`
        : `arn:aws:${service}:${ctx.signedRegion ?? ctx.region}:${ctx.accountId}:*`;
  const message = `User: ${principal} is not authorized to perform: ${action} on resource: ${shown} ${why}`;
  throw isQuery(service)
    ? new ServiceError('AccessDenied', message, 403)
    : new ServiceError('AccessDeniedException', message, 403);
}
