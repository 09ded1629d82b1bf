/**
 * A CDK app that rolls one Amazon Connect + Okta SSO setup per account and region out from one
 * definition (fleet.yaml): one stack per target, each with a ConnectOktaSso resource. The Okta side is
 * planned centrally — one org, one app per account and instance, group mapping — so
 * `connect-okta-sso fleet examples/stacksets/fleet.yaml` shows what every stack would change before
 * `cdk deploy --all`.
 *
 *   npx cdk synth --app "npx tsx examples/stacksets/app.ts"
 *
 * Each target's account must hold the Okta credentials secret (or be allowed to read a central one by
 * ARN, see stackset.yaml); `OKTA_SECRET_ARN` names it.
 */
import { join } from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { loadFleet } from 'connect-okta-sso';
import { ConnectOktaSso } from 'connect-okta-sso/cdk';

/** Build the app: one stack per fleet target. */
export async function buildApp(
  options: { fleetFile?: string; oktaSecretArn?: string; outdir?: string } = {},
) {
  const targets = await loadFleet(options.fleetFile ?? join(import.meta.dirname, 'fleet.yaml'));
  const app = new App(options.outdir ? { outdir: options.outdir } : {});
  const secretArn =
    options.oktaSecretArn ??
    process.env.OKTA_SECRET_ARN ??
    'arn:aws:secretsmanager:us-east-1:111111111111:secret:connect-okta-sso/okta-AbCdEf';
  for (const target of targets) {
    const stack = new Stack(app, `ConnectOktaSso-${target.name}`, {
      env: { ...(target.account ? { account: target.account } : {}), region: target.config.region },
      description: `Amazon Connect SSO with Okta: ${target.config.instance.alias}`,
    });
    const okta = secretsmanager.Secret.fromSecretCompleteArn(stack, 'OktaCredentials', secretArn);
    const sso = new ConnectOktaSso(stack, 'Sso', { config: target.config, oktaCredentials: okta });
    new CfnOutput(stack, 'InstanceId', { value: sso.instanceId });
    for (const app of sso.resolvedConfig.apps) {
      new CfnOutput(stack, `${app.kind.replace(/-/g, '')}SignInUrl`, { value: sso.app(app.kind).signInUrl });
    }
  }
  return app;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  (await buildApp()).synth();
}
