/**
 * The public types name no Okta SDK type (a consumer's strict `tsc` would need `node-fetch`'s
 * declarations otherwise: test/e2e/package.test.ts typechecks one), yet an `@okta/okta-sdk-nodejs`
 * `Client` is still passed as it is. The `expectTypeOf` lines are checked by `npm run typecheck`
 * (tsc over test/ too); the runtime lines by vitest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@okta/okta-sdk-nodejs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type CreateContextOptions,
  createContext,
  type OktaClientLike,
  type PlanFleetOptions,
  type SsoContext,
  silentLogger,
  systemClock,
} from '../../src/index.js';

describe('OktaClientLike', () => {
  it('an Okta SDK Client satisfies it: createContext({ okta: { client } }) takes one without a cast', async () => {
    expectTypeOf<Client>().toExtend<OktaClientLike>();
    const client = new Client({
      orgUrl: 'https://example.okta.com',
      token: 'not-a-token',
      cacheMiddleware: null,
    });
    const ctx = createContext({ region: 'us-east-1', okta: { client } });
    expect(await ctx.okta()).toBe(client);
    expect((await ctx.okta()).baseUrl).toBe('https://example.okta.com');
  });

  it('a hand-built context may return an SDK Client from okta()', async () => {
    const client = new Client({
      orgUrl: 'https://example.okta.com',
      token: 'not-a-token',
      cacheMiddleware: null,
    });
    const base = createContext({ region: 'us-east-1', okta: { client } });
    const ctx: SsoContext = {
      region: 'us-east-1',
      iam: base.iam,
      connect: base.connect,
      okta: async () => client,
      logger: silentLogger,
      clock: systemClock,
      stack: 'connect-okta-sso',
    };
    expect(await ctx.okta()).toBe(client);
  });

  it('is a real constraint: an object without the SDK members is refused', () => {
    expectTypeOf<{ baseUrl: string }>().not.toExtend<OktaClientLike>();
    // @ts-expect-error — not an Okta client
    const options: CreateContextOptions = { region: 'us-east-1', okta: { client: { baseUrl: 'x' } } };
    expect(options.region).toBe('us-east-1');
  });

  it('the public context types say OktaClientLike, never the SDK Client', () => {
    expectTypeOf<ReturnType<SsoContext['okta']>>().toEqualTypeOf<Promise<OktaClientLike>>();
    expectTypeOf<
      Extract<NonNullable<CreateContextOptions['okta']>, { client: unknown }>['client']
    >().toEqualTypeOf<OktaClientLike>();
    expectTypeOf<NonNullable<PlanFleetOptions['okta']>>().returns.toEqualTypeOf<Promise<OktaClientLike>>();
    // The runtime still loads the SDK itself, lazily (test/e2e/package.test.ts shows when).
    const source = readFileSync(join(import.meta.dirname, '../../src/core/context.ts'), 'utf8');
    expect(source).toMatch(/await import\('@okta\/okta-sdk-nodejs'\)/);
  });
});
