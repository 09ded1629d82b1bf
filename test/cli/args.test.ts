/**
 * The shared pieces of the CLI: argument parsing, error explanations and exit codes, redaction.
 */
import { describe, expect, it } from 'vitest';
import { durationOption, intOption, parse } from '../../src/cli/args.js';
import { causeLines, EXIT, explain, UsageError } from '../../src/cli/errors.js';
import { Output, Redactor } from '../../src/cli/output.js';
import {
  ConfigError,
  ConflictError,
  ConnectSsoError,
  ManualActionRequiredError,
  ProviderError,
} from '../../src/core/errors.js';
import { fakeIo } from './fake-io.js';

type ProviderErrorInit = ConstructorParameters<typeof ProviderError>[0];

/** A failed `service` `operation` as the providers report it (message `x` unless `more` says). */
function providerError(
  service: ProviderErrorInit['service'],
  operation: string,
  more: Partial<ProviderErrorInit> = {},
): ProviderError {
  return new ProviderError({ service, operation, message: 'x', ...more });
}

describe('parse', () => {
  it('refuses every flag that would carry a secret, saying where the secret goes instead', () => {
    for (const arg of ['--token', '--okta-token=abc', '--secret-access-key', '--private-key', '--password']) {
      const error = (() => {
        try {
          parse([arg, 'x'], {}, 1);
        } catch (e) {
          return e;
        }
      })() as UsageError;
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toContain('never taken as command-line flags');
      expect(error.fix).toContain('OKTA_API_TOKEN');
      expect(error.message).not.toContain('abc');
    }
  });

  it('turns parseArgs errors into short usage errors', () => {
    expect(() => parse(['--nope'], {})).toThrow('unknown option --nope');
    expect(() => parse(['--config'], { config: { type: 'string' } })).toThrow('--config needs a value');
    expect(() => parse(['extra'], {})).toThrow("unexpected argument 'extra'");
    expect(parse(['--config', 'a.yaml'], { config: { type: 'string' } }).values.config).toBe('a.yaml');
  });

  it('reads integers and durations with ranges', () => {
    expect(intOption({ n: '5' }, 'n', 1, 16)).toBe(5);
    expect(() => intOption({ n: '17' }, 'n', 1, 16)).toThrow('--n must be an integer from 1 to 16');
    expect(durationOption({ d: '30m' }, 'd', 86_400_000)).toBe(1_800_000);
    expect(durationOption({ d: '90' }, 'd', 86_400_000)).toBe(90_000);
    expect(durationOption({ d: '2h' }, 'd', 86_400_000)).toBe(7_200_000);
    expect(() => durationOption({ d: 'soon' }, 'd', 86_400_000)).toThrow('must be a duration');
  });
});

describe('explain', () => {
  it('maps each kind of error to its exit code, field or resource, and a fix', () => {
    const config = explain(new ConfigError('okta.orgUrl', 'must use https'), 'sso.yaml');
    expect(config).toMatchObject({ exitCode: EXIT.usage, field: 'okta.orgUrl' });
    expect(config.fix).toContain('sso.yaml');
    expect(explain(new ConfigError('okta.token', 'is required')).fix).toContain('OKTA_API_TOKEN');

    const conflict = explain(
      new ConflictError('iam role Okta_Role', 'iam role Okta_Role belongs to stack x'),
    );
    expect(conflict).toMatchObject({ exitCode: EXIT.failure, resource: 'iam role Okta_Role' });
    expect(conflict.fix).toContain('--adopt');

    const manual = explain(new ManualActionRequiredError('enable it', ['click here', 'then there']));
    expect(manual).toMatchObject({ exitCode: EXIT.manual, actions: ['click here', 'then there'] });

    const denied = explain(
      providerError('iam', 'CreateRole', { message: 'no', providerCode: 'AccessDenied' }),
    );
    expect(denied.fix).toContain('iam:CreateRole');
    const okta = explain(
      providerError('okta', 'ListApplications', { message: 'Invalid token', providerCode: 'E0000011' }),
    );
    expect(okta.fix).toContain('OKTA_API_TOKEN');
    const creds = explain(providerError('iam', 'GetUser', { providerCode: 'CredentialsProviderError' }));
    expect(creds).toMatchObject({ exitCode: EXIT.usage });
    const network = explain(
      providerError('okta', 'GetApplication', {
        message: 'fetch failed',
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      }),
    );
    expect(network.fix).toContain('ECONNREFUSED');
    expect(explain(new UsageError('bad', '--x', 'do y'))).toMatchObject({
      exitCode: EXIT.usage,
      fix: 'do y',
    });
    expect(explain(new Error('boom')).exitCode).toBe(EXIT.failure);
  });

  it('a connection failure names the setting of the side that failed, never the other side', () => {
    const refused = (address: string, port: number) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), {
        code: 'ECONNREFUSED',
        address,
        port,
      });
    const where = {
      configPath: 'sso.yaml',
      awsEndpoint: 'http://127.0.0.1:4566',
      region: 'eu-west-2',
      oktaOrgUrl: 'http://127.0.0.1:4567',
    };
    const aws = explain(providerError('iam', 'GetRole', { cause: refused('127.0.0.1', 4566) }), where);
    expect(aws.fix).toContain('Could not reach AWS (iam) at 127.0.0.1:4566 (ECONNREFUSED)');
    expect(aws.fix).toContain('AWS_ENDPOINT_URL sends every AWS call to http://127.0.0.1:4566');
    expect(aws.fix).not.toContain('okta.orgUrl');
    const noEndpoint = explain(
      providerError('connect', 'ListInstances', { cause: refused('1.2.3.4', 443) }),
      { ...where, awsEndpoint: undefined },
    );
    expect(noEndpoint.fix).toContain('region in sso.yaml (eu-west-2)');
    expect(noEndpoint.fix).not.toContain('okta.orgUrl');
    const okta = explain(
      providerError('okta', 'ListApplications', { cause: refused('127.0.0.1', 4567) }),
      where,
    );
    expect(okta.fix).toContain('check okta.orgUrl in sso.yaml (http://127.0.0.1:4567)');
    expect(okta.fix).not.toContain('AWS_ENDPOINT_URL');
    // An error that names no service: told apart by the address it could not reach.
    expect(explain(refused('127.0.0.1', 4567), where).fix).toContain('okta.orgUrl in sso.yaml');
    expect(explain(refused('127.0.0.1', 4566), where).fix).toContain('AWS_ENDPOINT_URL sends');
    for (const x of [aws, noEndpoint, okta]) expect(x.exitCode).toBe(EXIT.failure);
  });

  it('credentials missing or refused are exit 2; a missing permission or a network failure is 1', () => {
    const aws = (providerCode: string) => explain(providerError('iam', 'GetRole', { providerCode })).exitCode;
    for (const code of [
      'CredentialsProviderError',
      'InvalidClientTokenId',
      'SignatureDoesNotMatch',
      'ExpiredToken',
    ])
      expect(aws(code), code).toBe(EXIT.usage);
    for (const code of ['AccessDenied', 'NoSuchEntity', 'Throttling'])
      expect(aws(code), code).toBe(EXIT.failure);
    const okta = (providerCode: string, httpStatus: number, message = 'x') =>
      explain(
        new ProviderError({
          service: 'okta',
          operation: 'ListApplications',
          message,
          providerCode,
          httpStatus,
        }),
      );
    expect(okta('E0000011', 401).exitCode).toBe(EXIT.usage);
    expect(okta('E0000006', 403).exitCode).toBe(EXIT.failure);
    const oauth = okta(
      '',
      0,
      'Okta OAuth token request to https://x.okta.com/oauth2/v1/token failed: invalid_client',
    );
    expect(oauth).toMatchObject({ exitCode: EXIT.usage });
    expect(oauth.fix).toContain('The OAuth sign-in to Okta failed');
    // A step's error caused by refused credentials: their exit code, their fix first, then the step's.
    const rotation = explain(
      new ConnectSsoError('ROTATION_INTERRUPTED', 'rotation of "CCP" stopped at generate', {
        cause: providerError('okta', 'GenerateApplicationKey', {
          message: 'Invalid token provided',
          providerCode: 'E0000011',
          httpStatus: 401,
        }),
      }),
    );
    expect(rotation.exitCode).toBe(EXIT.usage);
    expect(rotation.fix).toMatch(/^The Okta credentials were refused.*run rotate-cert again/);
  });

  it('lists the cause chain by message only', () => {
    const root = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new ProviderError({ service: 'iam', operation: 'GetRole', message: 'failed', cause: root });
    const lines = causeLines(error);
    expect(lines[0]).toMatch(
      /^ProviderError: iam GetRole failed: failed \[code=PROVIDER_ERROR service=iam operation=GetRole\]$/,
    );
    expect(lines[1]).toBe('caused by: Error: socket hang up [code=ECONNRESET]');
  });
});

describe('Redactor', () => {
  it('removes secrets from the environment, registered secrets and credential shapes', () => {
    const r = new Redactor({
      OKTA_API_TOKEN: '00abcdefTOKENvalue123',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
    });
    r.add('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabc\n-----END PRIVATE KEY-----');
    const text = [
      'token 00abcdefTOKENvalue123 and key wJalrXUtnFEMI/K7MDENG',
      'Authorization: SSWS 00otherTokenNotInEnv99',
      '-----BEGIN RSA PRIVATE KEY-----\nsomething\n-----END RSA PRIVATE KEY-----',
      'line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC alone',
      JSON.stringify({ secretAccessKey: 'abcdefghijklmnopqrstuvwxyz012345' }),
    ].join('\n');
    const out = r.redact(text);
    for (const secret of [
      '00abcdefTOKENvalue123',
      'wJalrXUtnFEMI/K7MDENG',
      '00otherTokenNotInEnv99',
      'something',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      'abcdefghijklmnopqrstuvwxyz012345',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('redacts every write of an Output, JSON included', () => {
    const io = fakeIo();
    const out = new Output(io, new Redactor({ OKTA_API_TOKEN: 'sekret-token-value' }), false);
    out.print('a sekret-token-value b');
    out.err('c sekret-token-value d');
    const json = new Output(io, new Redactor({ OKTA_API_TOKEN: 'sekret-token-value' }), true);
    json.print('suppressed in --json mode');
    json.json({ note: 'sekret-token-value', error: new Error('with sekret-token-value') });
    expect(io.all()).not.toContain('sekret-token-value');
    expect(io.out()).not.toContain('suppressed');
    expect(JSON.parse(io.out().slice(io.out().indexOf('{')))).toEqual({
      note: '[redacted]',
      error: { name: 'Error', message: 'with [redacted]' },
    });
  });
});
