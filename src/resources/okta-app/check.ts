import { type AppRun, add, appPath, guard, OKTA_APPS, quote, RUN_PROVISION, type Run } from '../check-run.js';
import {
  appOwnership,
  findAppsByLabel,
  type OktaAppJson,
  ownershipMarker,
  relayStateProblem,
} from './ensure.js';
import { buildRelayState } from './relay-state.js';

export async function checkOktaApp(run: Run, a: AppRun): Promise<void> {
  const { app, appRes } = a;
  await guard(run, 'app.exists', appRes, async () => {
    const found = await findAppsByLabel(run.ctx, app.label);
    if (found.length === 0) {
      add(
        run,
        'app.exists',
        appRes,
        'fail',
        `no Okta AWS Account Federation (amazon_aws) app labelled "${app.label}"`,
        `${RUN_PROVISION} (it creates the app), or correct apps[].label in the config.`,
      );
      return;
    }
    if (found.length > 1) {
      add(
        run,
        'app.exists',
        appRes,
        'fail',
        `${found.length} amazon_aws apps are labelled "${app.label}" (${found.map((f) => `${f.id} ${f.status}`).join(', ')}): the label is how this setup finds its app`,
        `${OKTA_APPS}: rename or delete all but one of them, then run apply.`,
      );
      return;
    }
    const okta = found[0] as OktaAppJson;
    a.okta = okta;
    add(run, 'app.exists', appRes, 'ok', `${okta.id}`);
    const owner = appOwnership(run.ctx, okta);
    add(
      run,
      'app.ownership',
      appRes,
      owner.owner === 'ours' ? 'ok' : 'warn',
      owner.owner === 'ours'
        ? `admin notes carry '${ownershipMarker(run.ctx.stack)}'`
        : owner.owner === 'other-stack'
          ? `belongs to stack ${owner.stacks.map((s) => `'${s}'`).join(', ')}, not '${run.ctx.stack}': apply refuses to change it`
          : 'was not created by connect-okta-sso (its admin notes carry no ownership marker): apply refuses to change it',
      `If it is this setup's, run apply with adopt: true (it adds '${ownershipMarker(run.ctx.stack)}' to the app's admin notes); otherwise choose another apps[].label.`,
    );
    if (okta.status === 'ACTIVE') add(run, 'app.active', appRes, 'ok', 'ACTIVE');
    else {
      add(
        run,
        'app.active',
        appRes,
        'fail',
        `is ${okta.status}: Okta shows it to no one and signs no SAML response`,
        `${appPath(app.label)} → General → Activate (or run apply, which activates it).`,
      );
    }
  });
}

export function checkIdentityProviderArn(run: Run, a: AppRun): void {
  const okta = a.okta;
  if (!okta || !a.expectedProviderArn) return;
  const resource = a.appRes;
  const current = okta.settings?.app?.identityProviderArn;
  const values = typeof current === 'string' ? current.split(',').map((s) => s.trim()) : [];
  if (values.includes(a.expectedProviderArn)) {
    add(run, 'app.identity-provider-arn', resource, 'ok', a.expectedProviderArn);
    return;
  }
  add(
    run,
    'app.identity-provider-arn',
    resource,
    'fail',
    `the app's Identity Provider ARN is ${quote(current)}, not ${a.expectedProviderArn}: the SAML Role attribute names the wrong provider and AWS refuses the sign-in${run.config.roleMapping === 'api-integration' ? ' (and Okta imports no role for it)' : ''}`,
    `${RUN_PROVISION} (it writes the ARN back into the app), or ${appPath(a.app.label)} → Sign On → Edit → Identity Provider ARN: ${a.expectedProviderArn}.`,
  );
}

/** Every difference between a relay state and the expected one, in words. */
export function relayStateDifferences(
  actual: string,
  expected: string,
  region: string,
  instanceId: string,
): string[] {
  const problem = relayStateProblem(actual);
  if (problem && /ARN/.test(problem)) return [problem];
  let a: URL;
  let e: URL;
  try {
    a = new URL(actual);
    e = new URL(expected);
  } catch {
    return [problem ?? `'${actual}' is not a URL`];
  }
  const out: string[] = [];
  if (a.host !== e.host) {
    const m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)\.console\.aws\.amazon\.com$/.exec(a.host);
    out.push(
      m
        ? `it names region ${m[1]}; the instance is in ${region}`
        : `its host is '${a.host}', expected '${e.host}'`,
    );
  }
  if (a.pathname !== e.pathname) {
    const m = /^\/connect\/federate\/([^/]+)$/.exec(a.pathname);
    out.push(
      m
        ? `it names instance '${decodeURIComponent(m[1] ?? '')}', not this instance '${instanceId}' (was the instance re-created?)`
        : (problem ?? `its path is '${a.pathname}', expected '${e.pathname}'`),
    );
  }
  const destA = a.searchParams.get('destination');
  const destE = e.searchParams.get('destination');
  if (destA !== destE) out.push(`its destination is ${quote(destA)}, expected ${quote(destE)}`);
  if (a.searchParams.get('new_domain') !== e.searchParams.get('new_domain')) {
    out.push(
      `new_domain is ${quote(a.searchParams.get('new_domain'))}, expected ${quote(e.searchParams.get('new_domain'))}`,
    );
  }
  if (out.length === 0) out.push(`it is '${actual}'`);
  return out;
}

export function checkRelayState(run: Run, a: AppRun): void {
  const okta = a.okta;
  if (!okta || !run.instance) return;
  const { app } = a;
  const expected = buildRelayState({
    region: run.config.region,
    instanceId: run.instance.id,
    destination: app.destination ?? 'admin',
    newDomain: app.newDomain,
  });
  const actual = okta.settings?.signOn?.defaultRelayState;
  if (actual === expected) {
    add(run, 'app.relay-state', a.appRes, 'ok', expected);
    return;
  }
  const differences =
    typeof actual === 'string' && actual.length > 0
      ? relayStateDifferences(actual, expected, run.config.region, run.instance.id)
      : ['it is not set: users land on the AWS console instead of Connect'];
  add(
    run,
    'app.relay-state',
    a.appRes,
    'fail',
    `the Default Relay State is not ${expected}: ${differences.join('; ')}`,
    `${RUN_PROVISION} (it sets the relay state), or ${appPath(app.label)} → Sign On → Edit → Default Relay State: ${expected}.`,
  );
}
