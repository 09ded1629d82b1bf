/**
 * The console's Connect federate endpoint (the relay state): as the assumed-role session, call
 * `connect:GetFederationToken` — the role's policies must allow it on
 * `<instance-arn>/user/<role-id>:<RoleSessionName>` (`aws:userid`) — for an ACTIVE instance, whose user
 * named exactly the RoleSessionName the session signs in as.
 */
import { federationTokenFor, findInstance } from '../connect/index.js';
import type { ConnectInstanceState } from '../connect/state.js';
import type { EmulatorContext } from '../emulator.js';
import { rolePolicyDocuments } from '../iam/index.js';
import type { IamRoleState } from '../iam/state.js';
import { evaluatePolicies } from '../policy.js';
import { ACCESS_DENIED, CONSOLE_INSTEAD, NO_INSTANCE, NOT_ONBOARDED } from './messages.js';
import type { SignInResult, SignInStage } from './types.js';

/** A Connect federate URL, read: `https://<region>.console.aws.amazon.com/connect/federate/<id>?destination=…`. */
export interface FederateUrl {
  partition: 'aws' | 'aws-us-gov';
  region: string;
  instanceId: string;
  destination: string | undefined;
}

/**
 * Read a relay state as the AWS console does: the Connect federate endpoint on a console host
 * (`<region>.console.aws.amazon.com`, `console.aws.amazon.com` = us-east-1, GovCloud's
 * `console.amazonaws-us-gov.com`). Undefined for anything else.
 */
export function parseFederateUrl(relayState: string): FederateUrl | undefined {
  let url: URL;
  try {
    url = new URL(relayState);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:') return undefined;
  const host = url.hostname.toLowerCase();
  const commercial = /^(?:([a-z]{2}-[a-z]+-\d)\.)?console\.aws\.amazon\.com$/.exec(host);
  const gov = /^(?:(us-gov-[a-z]+-\d)\.)?console\.amazonaws-us-gov\.com$/.exec(host);
  let partition: FederateUrl['partition'];
  let region: string;
  if (commercial) {
    partition = 'aws';
    region = commercial[1] ?? 'us-east-1';
  } else if (gov) {
    partition = 'aws-us-gov';
    region = gov[1] ?? 'us-gov-west-1';
  } else {
    return undefined;
  }
  const path = /^\/connect\/federate\/([^/]+)\/?$/.exec(url.pathname);
  const instanceId = path?.[1];
  if (!instanceId) return undefined;
  // `destination=%2Fccp-v2%26new_domain=true` (a documented form) decodes to `/ccp-v2&new_domain=true`.
  const raw = url.searchParams.get('destination');
  const destination = raw === null || raw === '' ? undefined : (raw.split('&')[0] ?? raw);
  return { partition, region, instanceId: decodeURIComponent(instanceId), destination };
}

function failure(stage: SignInStage, message: string, detail: string): SignInResult {
  return { ok: false, stage, message, detail };
}

/** A context whose "request region" is the relay state's (Connect instances are regional). */
function inRegion(ctx: EmulatorContext, region: string): EmulatorContext {
  return { ...ctx, signedRegion: region };
}

/** The browser, signed in as `role` / `sessionName`, follows the relay state to Connect. */
export function federateToConnect(
  ctx: EmulatorContext,
  role: IamRoleState,
  sessionName: string,
  relayState: string | undefined,
): SignInResult {
  const federate = relayState === undefined ? undefined : parseFederateUrl(relayState);
  if (!relayState || !federate) {
    return failure(
      'connect',
      CONSOLE_INSTEAD,
      relayState
        ? `the relay state '${relayState}' is not a Connect federate URL (https://<region>.console.aws.amazon.com/connect/federate/<instance-id>): the browser lands on the AWS console, not in Connect`
        : 'there is no relay state (neither the app’s defaultRelayState nor one given): the browser lands on the AWS console, not in Connect',
    );
  }
  const userId = `${role.id}:${sessionName}`;
  const instanceArn = `arn:${federate.partition}:connect:${federate.region}:${ctx.accountId}:instance/${federate.instanceId}`;
  const resource = `${instanceArn}/user/${userId}`;
  const policyDecision = evaluatePolicies(rolePolicyDocuments(ctx.state.iam, role.name), {
    action: 'connect:GetFederationToken',
    resource,
    context: {
      'aws:userid': userId,
      'aws:PrincipalAccount': ctx.accountId,
      'aws:PrincipalArn': role.arn,
      'connect:InstanceId': federate.instanceId,
    },
  }).decision;
  if (policyDecision !== 'Allow') {
    return failure(
      'policy',
      ACCESS_DENIED,
      `the policies attached to role ${role.name} do not allow connect:GetFederationToken on ${resource}` +
        (policyDecision === 'ExplicitDeny'
          ? ' (an explicit Deny)'
          : ': attach a policy allowing it on <instance-arn>/user/${aws:userid} for this instance'),
    );
  }
  const regional = inRegion(ctx, federate.region);
  let instance: ConnectInstanceState;
  try {
    instance = findInstance(regional, federate.instanceId);
  } catch {
    return failure(
      'connect',
      NO_INSTANCE,
      `the relay state names the Connect instance ${federate.instanceId} in ${federate.region}, which does not exist`,
    );
  }
  if (instance.status !== 'ACTIVE') {
    return failure(
      'connect',
      `Instance ${instance.id} is not active: its status is ${instance.status}`,
      `the Connect instance ${instance.id} is ${instance.status}`,
    );
  }
  const exact = Object.hasOwn(instance.usernames, sessionName);
  if (!exact) {
    const lower = sessionName.toLowerCase();
    const near = Object.keys(instance.usernames).find((u) => u.toLowerCase() === lower);
    const note = near
      ? ` (The Connect user '${near}' differs from the RoleSessionName '${sessionName}' only in case: Connect usernames are case-sensitive.)`
      : '';
    return failure(
      'connect',
      `${NOT_ONBOARDED}${note}`,
      near
        ? `no Connect user of instance ${instance.id} is named exactly '${sessionName}'; '${near}' differs only in case: rename the Connect user (or the Okta app username) so that they match exactly`
        : `no Connect user of instance ${instance.id} is named '${sessionName}' (the RoleSessionName, i.e. the Okta app username): create it`,
    );
  }
  const token = federationTokenFor(regional, instance, sessionName);
  return {
    ok: true,
    connectUser: { id: token.UserId, username: sessionName },
    relayState,
    destination: federate.destination,
    federation: { signInUrl: token.SignInUrl },
    roleArn: role.arn,
    roleSessionName: sessionName,
  };
}
