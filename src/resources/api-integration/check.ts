import { oktaRequest } from '../../providers/okta/transport.js';
import {
  type AppRun,
  add,
  appPath,
  guard,
  isObject,
  type JsonObject,
  OKTA_APPS,
  type Run,
  strings,
} from '../check-run.js';

export async function checkApiIntegration(run: Run, a: AppRun): Promise<void> {
  const okta = a.okta;
  if (!okta) return;
  const { app, appRes } = a;
  const features = okta.features ?? [];
  if (features.includes('PUSH_NEW_USERS')) {
    add(run, 'app.api-integration', appRes, 'ok', `features: ${features.join(', ')}`);
  } else {
    add(
      run,
      'app.api-integration',
      appRes,
      'fail',
      `the API integration's "Create Users" is not enabled (features: ${features.length > 0 ? features.join(', ') : 'none'}): Okta imports no role and users cannot be given one`,
      `${appPath(app.label)} → Provisioning → Configure API Integration: tick "Enable API integration", enter the access key of the IAM user ${run.config.names.oktaApiUser}, Test API Credentials, Save; then Provisioning → To App → Edit: enable "Create Users" and "Update User Attributes", Save. Then run apply.`,
    );
  }
  await guard(run, 'app.role-imported', appRes, async () => {
    const { data: schema } = await oktaRequest<JsonObject>(run.ctx, 'GetApplicationUserSchema', {
      method: 'GET',
      path: `/api/v1/meta/schemas/apps/${encodeURIComponent(okta.id)}/default`,
    });
    const imported = importedRoles(schema);
    const matches = (r: string) => r === app.roleName || r.endsWith(` -- ${app.roleName}`);
    if (imported.some(matches)) {
      add(run, 'app.role-imported', appRes, 'ok', `Okta imported the role ${app.roleName}`);
      return;
    }
    add(
      run,
      'app.role-imported',
      appRes,
      'fail',
      `Okta has not imported the role ${app.roleName} (imported: ${imported.length > 0 ? imported.join(', ') : 'none'}): users cannot be assigned it`,
      `${appPath(app.label)} → Provisioning → To App: make sure "Update User Attributes" is enabled; then ${OKTA_APPS} → More → "Refresh Application Data" (Okta imports the roles whose trust policy names the app's Identity Provider ARN). Then run apply.`,
    );
  });
}

/** The role names of the app user schema's `samlRoles` (and `role`) enums. */
export function importedRoles(schema: JsonObject): string[] {
  const definitions = isObject(schema.definitions) ? schema.definitions : {};
  const out = new Set<string>();
  for (const part of ['base', 'custom']) {
    const def = definitions[part];
    const props = isObject(def) && isObject(def.properties) ? def.properties : {};
    const samlRoles = props.samlRoles;
    if (isObject(samlRoles) && isObject(samlRoles.items))
      for (const r of strings(samlRoles.items.enum)) out.add(r);
    const role = props.role;
    if (isObject(role)) for (const r of strings(role.enum)) out.add(r);
  }
  return [...out];
}
