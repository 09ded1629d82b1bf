/**
 * The library's AWS calls by name: `send(ctx, 'iam', 'GetRole', { RoleName })`, typed from the SDK's own
 * command classes (`import type` only), run through {@link awsCall} (abort signal, logging, errors as
 * {@link ProviderError}). The SDK client module is loaded on the first call of its service (a cached
 * dynamic `import()`, see {@link loadAwsSdk}), so that importing the library loads no AWS SDK code;
 * the client is the context's own (see {@link awsClient}).
 *
 * Call sites were converted from `awsCall(ctx, 'iam', 'GetRole', (o) => ctx.iam.send(new
 * GetRoleCommand(input), o))` by a codemod (kept outside the repository, re-runnable after merges).
 */
import {
  type AwsSdkModules,
  type AwsServiceName,
  awsClient,
  loadAwsSdk,
  type SsoContext,
} from '../../core/context.js';
import { awsCall, awsPages, nextMarker, nextToken } from './call.js';

/** A command class of the SDK: `new XCommand(input)`, whose middleware resolves to `{ output }`. */
type CommandClass = abstract new (
  ...args: never
) => {
  resolveMiddleware(...args: never): (...args: never) => Promise<{ output: unknown }>;
};

type ModuleOf<S extends AwsServiceName> = AwsSdkModules[S];

/** The operations of a service: `X` for every `XCommand` class its SDK module exports. */
export type AwsOperation<S extends AwsServiceName> = {
  [K in keyof ModuleOf<S> & string]: K extends `${infer Op}Command`
    ? ModuleOf<S>[K] extends CommandClass
      ? Op
      : never
    : never;
}[keyof ModuleOf<S> & string];

type CommandOf<S extends AwsServiceName, Op extends AwsOperation<S>> = ModuleOf<S>[`${Op}Command` &
  keyof ModuleOf<S>];

/** The input of an operation (`GetRoleCommandInput`). */
export type AwsInput<S extends AwsServiceName, Op extends AwsOperation<S>> =
  CommandOf<S, Op> extends new (...args: infer A) => unknown ? A[0] : never;

/** The output of an operation (`GetRoleCommandOutput`). */
export type AwsOutput<S extends AwsServiceName, Op extends AwsOperation<S>> =
  CommandOf<S, Op> extends new (
    ...args: never
  ) => {
    resolveMiddleware(...args: never): (...args: never) => Promise<{ output: infer O }>;
  }
    ? O
    : never;

interface SendingClient {
  send(command: object, options: { abortSignal?: AbortSignal }): Promise<unknown>;
}

async function commandFor(
  service: AwsServiceName,
  operation: string,
): Promise<new (input: unknown) => object> {
  const module = (await loadAwsSdk(service)) as unknown as Record<string, unknown>;
  const Command = module[`${operation}Command`];
  if (typeof Command !== 'function') {
    throw new TypeError(`the ${service} SDK module has no ${operation}Command (an older SDK version?)`);
  }
  return Command as new (
    input: unknown,
  ) => object;
}

/** Options of {@link send}. */
export interface SendOptions {
  /**
   * Pass the context's abort signal to the request itself, so that an abort cancels it in flight.
   * Default true. False for a call whose answer must not be lost (CreateAccessKey: it holds the only
   * copy of the secret); the abort is still honoured before the call and after it.
   */
  abortInFlight?: boolean;
}

/**
 * One AWS call: `new <operation>Command(input)` sent with the context's client of `service`.
 * @throws {ProviderError} for every AWS error; the abort reason when the context's signal aborts.
 * @throws {ConnectSsoError} `PEER_DEPENDENCY_MISSING` when the service's SDK package is not installed.
 */
export async function send<S extends AwsServiceName, Op extends AwsOperation<S>>(
  ctx: SsoContext,
  service: S,
  operation: Op,
  input: NoInfer<AwsInput<S, Op>>,
  options: SendOptions = {},
): Promise<AwsOutput<S, Op>> {
  ctx.signal?.throwIfAborted();
  const [Command, client] = await Promise.all([commandFor(service, operation), awsClient(ctx, service)]);
  const abortInFlight = options.abortInFlight ?? true;
  return (await awsCall(ctx, service, operation, (o) =>
    (client as unknown as SendingClient).send(new Command(input), abortInFlight ? o : {}),
  )) as AwsOutput<S, Op>;
}

/** A paged list's input without its page token (`Marker` for IAM, `NextToken` for Connect). */
export type AwsPageInput<S extends AwsServiceName, Op extends AwsOperation<S>> = Omit<
  NonNullable<AwsInput<S, Op>>,
  'Marker' | 'NextToken'
>;

/** How each service pages: IAM by `Marker` while `IsTruncated`, Connect by `NextToken`. */
const PAGING = {
  iam: { token: 'Marker', next: nextMarker },
  connect: { token: 'NextToken', next: nextToken },
} as const;

/**
 * Every page of a paged AWS list, one call each: `input` plus the page token of the service (IAM's
 * `Marker`, Connect's `NextToken`) from the second page on.
 */
export async function* sendPages<S extends AwsServiceName, Op extends AwsOperation<S>>(
  ctx: SsoContext,
  service: S,
  operation: Op,
  input: NoInfer<AwsPageInput<S, Op>>,
): AsyncGenerator<AwsOutput<S, Op>, void, undefined> {
  ctx.signal?.throwIfAborted();
  const [Command, client] = await Promise.all([commandFor(service, operation), awsClient(ctx, service)]);
  const paging = PAGING[service];
  yield* awsPages(
    ctx,
    service,
    operation,
    async (token, o) =>
      (await (client as unknown as SendingClient).send(
        new Command(token === undefined ? input : { ...input, [paging.token]: token }),
        o,
      )) as AwsOutput<S, Op>,
    (page) => paging.next(page as { NextToken?: string; IsTruncated?: boolean; Marker?: string }),
  );
}
