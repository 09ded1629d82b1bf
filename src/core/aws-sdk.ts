/**
 * The AWS SDK v3 client modules, loaded on first use (a cached dynamic `import()`, or a synchronous
 * `require` for a caller who reads `ctx.iam` first), and the lazy clients {@link createContext} puts on
 * a context. A missing peer dependency becomes `PEER_DEPENDENCY_MISSING`.
 */
import { createRequire } from 'node:module';
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { IAMClient } from '@aws-sdk/client-iam';
import { ConnectSsoError } from './errors.js';

/** The AWS SDK v3 client modules the library calls, by service (peer dependencies of the package). */
export interface AwsSdkModules {
  iam: typeof import('@aws-sdk/client-iam');
  connect: typeof import('@aws-sdk/client-connect');
}

/** An AWS service whose client a context holds. */
export type AwsServiceName = keyof AwsSdkModules;

/** The client of each service. */
export interface AwsSdkClients {
  iam: IAMClient;
  connect: ConnectClient;
}

const AWS_PACKAGES: { readonly [S in AwsServiceName]: string } = {
  iam: '@aws-sdk/client-iam',
  connect: '@aws-sdk/client-connect',
};

const notFound = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

function missingPeer(service: AwsServiceName, cause: unknown): ConnectSsoError {
  const name = AWS_PACKAGES[service];
  return new ConnectSsoError(
    'PEER_DEPENDENCY_MISSING',
    `the ${service === 'iam' ? 'IAM' : 'Amazon Connect'} calls need ${name}, a peer dependency of connect-okta-sso: npm install ${name}`,
    { cause },
  );
}

const loadedModules = new Map<AwsServiceName, Promise<unknown>>();

/**
 * The SDK module of a service, imported once, on first use (a dynamic `import()` with a literal
 * specifier, so that bundlers see it).
 * @throws {ConnectSsoError} `PEER_DEPENDENCY_MISSING` when the package is not installed.
 */
export function loadAwsSdk<S extends AwsServiceName>(service: S): Promise<AwsSdkModules[S]> {
  let loading = loadedModules.get(service);
  if (!loading) {
    const imported: Promise<unknown> =
      service === 'iam' ? import('@aws-sdk/client-iam') : import('@aws-sdk/client-connect');
    loading = imported.catch((error: unknown) => {
      loadedModules.delete(service);
      throw notFound(error) ? missingPeer(service, error) : error;
    });
    loadedModules.set(service, loading);
  }
  return loading as Promise<AwsSdkModules[S]>;
}

let requireHere: NodeJS.Require | undefined;

/** The same module, synchronously: for a caller who reads `ctx.iam` before any step has run. */
function requireAwsSdk<S extends AwsServiceName>(service: S): AwsSdkModules[S] {
  requireHere ??= createRequire(import.meta.url);
  try {
    return requireHere(AWS_PACKAGES[service]) as AwsSdkModules[S];
  } catch (error) {
    throw notFound(error) ? missingPeer(service, error) : error;
  }
}

/** One of createContext's clients: its config now, the client on first use. */
export class LazyAwsClient<S extends AwsServiceName> {
  #client: AwsSdkClients[S] | undefined;
  constructor(
    private readonly service: S,
    private readonly config: object,
  ) {}

  get built(): AwsSdkClients[S] | undefined {
    return this.#client;
  }

  build(module: AwsSdkModules[S]): AwsSdkClients[S] {
    if (this.#client === undefined) {
      const Client =
        this.service === 'iam'
          ? (module as AwsSdkModules['iam']).IAMClient
          : (module as AwsSdkModules['connect']).ConnectClient;
      this.#client = new Client(this.config) as AwsSdkClients[S];
    }
    return this.#client;
  }
}

/** The getters createContext defines for `iam` and `connect`, and the lazy client behind each. */
const lazyGetters = new WeakMap<() => unknown, LazyAwsClient<AwsServiceName>>();

export function defineLazyClient<S extends AwsServiceName>(
  target: object,
  service: S,
  lazy: LazyAwsClient<S>,
): void {
  const get = (): AwsSdkClients[S] => lazy.built ?? lazy.build(requireAwsSdk(service));
  lazyGetters.set(get, lazy as unknown as LazyAwsClient<AwsServiceName>);
  Object.defineProperty(target, service, { get, enumerable: true, configurable: true });
}

export function lazyClientOf<S extends AwsServiceName>(
  ctx: object,
  service: S,
): LazyAwsClient<S> | undefined {
  const get = Object.getOwnPropertyDescriptor(ctx, service)?.get;
  return get ? (lazyGetters.get(get) as LazyAwsClient<S> | undefined) : undefined;
}

/** Whether `get` is the getter {@link defineLazyClient} put on a context (its client still unbuilt, maybe). */
export function isLazyClientGetter(get: () => unknown): boolean {
  return lazyGetters.has(get);
}
