/**
 * What every config-driven entry point (provision, plan, doctor, rotation) does first: resolve the
 * config, and build the context its steps run in.
 */
import type { ConnectSsoConfig, ResolvedConfig, ResolvedOktaAuth } from '../config/index.js';
import { validateConfig } from '../config/index.js';
import {
  type CreateContextOptions,
  createContext,
  isReadOperation,
  type SsoContext,
  withAwsClientsOf,
} from '../core/context.js';

/** A config that `loadConfig`/`validateConfig` already resolved (every default applied). */
export function isResolvedConfig(config: ConnectSsoConfig | ResolvedConfig): config is ResolvedConfig {
  const c = config as Partial<ResolvedConfig>;
  return typeof c.partition === 'string' && typeof c.okta === 'object' && c.okta !== null && 'auth' in c.okta;
}

/**
 * Validate a config (a resolved one is taken as it is). With a caller's context the Okta credentials
 * are the context's, so the config need not name any.
 * @throws {ConfigError} before any call.
 */
export function resolveConfigInput(
  config: ConnectSsoConfig | ResolvedConfig,
  haveContext: boolean,
): ResolvedConfig {
  return isResolvedConfig(config) ? config : validateConfig(config, { requireOktaAuth: !haveContext });
}

function oktaOptions(orgUrl: string, auth: ResolvedOktaAuth): NonNullable<CreateContextOptions['okta']> {
  return auth.type === 'token'
    ? { orgUrl, token: auth.token }
    : {
        orgUrl,
        clientId: auth.clientId,
        privateKey: auth.privateKey,
        keyId: auth.keyId,
        scopes: auth.scopes,
      };
}

/**
 * The caller's context, or one built from the config (its region, Okta org and credentials, the AWS
 * default credential chain), always with the config's stack; `signal` and `onCall` are added to it.
 */
export function contextForConfig(
  config: ResolvedConfig,
  given: SsoContext | undefined,
  extra: { signal?: AbortSignal | undefined; onCall?: SsoContext['onCall'] } = {},
): SsoContext {
  const base =
    given ??
    createContext({
      region: config.region,
      stack: config.stack,
      ...(config.okta.auth ? { okta: oktaOptions(config.okta.orgUrl, config.okta.auth) } : {}),
    });
  const signal = extra.signal ?? base.signal;
  const onCalls = [base.onCall, extra.onCall].filter((f) => f !== undefined);
  // The base's AWS clients, still built on first use when createContext made them.
  return withAwsClientsOf(base, {
    region: base.region,
    ...(base.accountId ? { accountId: base.accountId } : {}),
    okta: () => base.okta(),
    logger: base.logger,
    clock: base.clock,
    ...(signal ? { signal } : {}),
    stack: config.stack,
    ...(onCalls.length > 0
      ? {
          onCall: (call: Parameters<NonNullable<SsoContext['onCall']>>[0]) => {
            for (const f of onCalls) f(call);
          },
        }
      : {}),
  });
}

/**
 * {@link contextForConfig} with the run's requests counted as they are made: `requests` is updated by
 * every call of the returned context (reads by {@link isReadOperation}, every other call a write).
 */
export function countingContextForConfig(
  config: ResolvedConfig,
  given: SsoContext | undefined,
  signal: AbortSignal | undefined,
): { ctx: SsoContext; requests: { reads: number; writes: number } } {
  const requests = { reads: 0, writes: 0 };
  const ctx = contextForConfig(config, given, {
    signal,
    onCall: ({ operation }) => {
      if (isReadOperation(operation)) requests.reads++;
      else requests.writes++;
    },
  });
  return { ctx, requests };
}
