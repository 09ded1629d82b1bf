/**
 * The resource's attributes (`Fn::GetAtt`): a flat map of strings made from a provisioning result.
 * Nothing secret is in it (the access key's secret is in Secrets Manager, only its id and the secret's
 * name are here).
 */
import type { AppKind } from '../config/index.js';
import type { ProvisionResult } from '../workflows/provision/types.js';

/** The attribute prefix of each app kind: `AdminAppId`, `CcpSignInUrl`, `AgentWorkspaceRoleArn`. */
export const APP_ATTRIBUTE_PREFIX: Readonly<Record<AppKind, string>> = {
  admin: 'Admin',
  ccp: 'Ccp',
  'agent-workspace': 'AgentWorkspace',
};

/** The per-app attribute names, after the kind's prefix. */
export const APP_ATTRIBUTES = ['AppId', 'SignInUrl', 'RelayState', 'ProviderArn', 'RoleArn'] as const;

/** The attributes that are not per app. */
export const SETUP_ATTRIBUTES = [
  'InstanceId',
  'InstanceArn',
  'InstanceAlias',
  'FederationPolicyArn',
  'Status',
  'ManualActions',
  'OktaApiUserArn',
  'AccessKeyId',
  'AccessKeySecretName',
] as const;

/** The attributes of a run, every value a string; attributes without a value are left out. */
export function attributesOf(
  result: ProvisionResult,
  extra: { accessKeySecretName?: string | undefined } = {},
): Record<string, string> {
  const data: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') data[key] = value;
  };
  put('InstanceId', result.instance.instanceId);
  put('InstanceArn', result.instance.instanceArn);
  put('InstanceAlias', result.instance.alias);
  put('FederationPolicyArn', result.policies.federationPolicyArn);
  put('Status', result.status);
  for (const app of result.apps) {
    const p = APP_ATTRIBUTE_PREFIX[app.kind];
    put(`${p}AppId`, app.appId);
    put(`${p}SignInUrl`, app.signInUrl);
    put(`${p}RelayState`, app.relayState);
    put(`${p}ProviderArn`, app.providerArn);
    put(`${p}RoleArn`, app.roleArn);
  }
  if (result.apiUser) {
    put('OktaApiUserArn', result.apiUser.userArn);
    put('AccessKeyId', result.accessKey?.accessKeyId);
    put('AccessKeySecretName', extra.accessKeySecretName);
  }
  if (result.manualActions.length > 0) {
    put(
      'ManualActions',
      result.manualActions
        .map((m) => `${m.resource}:\n${m.actions.map((a, i) => `  ${i + 1}. ${a}`).join('\n')}`)
        .join('\n'),
    );
  }
  return data;
}
