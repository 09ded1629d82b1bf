/**
 * Where the CLI's credentials come from: OAuth with a private key file (preferred over a token), an AWS
 * profile, and the Secrets Manager sink for a new access key — none of it ever printed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../src/cli/commands/apply.js';
import { planCommand } from '../../src/cli/commands/plan.js';
import { loadCliConfig, oktaAuth } from '../../src/cli/credentials.js';
import { UsageError } from '../../src/cli/errors.js';
import { Output, Redactor } from '../../src/cli/output.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startTestSandbox } from '../helpers.js';
import { configYaml, fakeIo, sandboxEnv } from './fake-io.js';

let sb: Sandbox;
let env: Record<string, string>;
let cwd: string;
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const pemBody = pem.split('\n')[1] ?? '';

beforeAll(async () => {
  sb = await startTestSandbox();
  env = sandboxEnv(sb);
  cwd = fakeIo().cwd;
  writeFileSync(join(cwd, 'sso.yaml'), configYaml(sb));
  writeFileSync(join(cwd, 'okta.pem'), pem);
  writeFileSync(join(cwd, 'not-a-key.pem'), 'hello');
});
afterAll(async () => {
  await sb.stop();
});

async function auth(extra: Record<string, string | undefined>) {
  const io = fakeIo({ env: { ...env, ...extra }, cwd });
  const out = new Output(io, new Redactor(io.env), false);
  const loaded = await loadCliConfig(out, 'sso.yaml');
  return oktaAuth(out, loaded, { tokenFromStdin: false });
}

describe('Okta credentials', () => {
  it('OAuth from OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE, preferred over OKTA_API_TOKEN', async () => {
    const a = await auth({ OKTA_CLIENT_ID: '0oaservice', OKTA_PRIVATE_KEY_FILE: 'okta.pem' });
    expect(a).toMatchObject({
      kind: 'private-key',
      clientId: '0oaservice',
      scopes: ['okta.apps.manage', 'okta.users.read'],
      keyId: undefined,
    });
    const scoped = await auth({
      OKTA_CLIENT_ID: '0oaservice',
      OKTA_PRIVATE_KEY_FILE: join(cwd, 'okta.pem'),
      OKTA_SCOPES: 'okta.apps.manage, okta.users.read okta.groups.manage',
      OKTA_KEY_ID: 'kid-1',
    });
    expect(scoped).toMatchObject({
      scopes: ['okta.apps.manage', 'okta.users.read', 'okta.groups.manage'],
      keyId: 'kid-1',
    });
    expect(await auth({})).toMatchObject({ kind: 'token', source: '$OKTA_API_TOKEN' });
  });

  it('half an OAuth setup, or a file that is not a key, is a usage error naming the variable', async () => {
    await expect(auth({ OKTA_CLIENT_ID: '0oaservice' })).rejects.toMatchObject({
      field: 'OKTA_PRIVATE_KEY_FILE',
    });
    const notKey = await auth({ OKTA_CLIENT_ID: '0oa', OKTA_PRIVATE_KEY_FILE: 'not-a-key.pem' }).catch(
      (e) => e,
    );
    expect(notKey).toBeInstanceOf(UsageError);
    expect(notKey.message).toContain('does not hold a private key');
  });
});

describe('AWS credentials', () => {
  it('--profile reads a shared-credentials profile instead of the environment', async () => {
    // A file the AWS SDK has not read (and cached) yet; profiles are read from the process environment.
    const file = join(cwd, 'aws-credentials');
    process.env.AWS_SHARED_CREDENTIALS_FILE = file;
    appendFileSync(
      file,
      `[sandbox]\naws_access_key_id = ${sb.aws.credentials.accessKeyId}\naws_secret_access_key = ${sb.aws.credentials.secretAccessKey}\n`,
    );
    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...noKeys } = env;
    const io = fakeIo({ env: noKeys, cwd });
    expect(await planCommand.run(['--profile', 'sandbox'], io)).toBe(0);
    const missing = fakeIo({ env: noKeys, cwd });
    const code = await planCommand.run(['--profile', 'nobody', '--json'], missing);
    expect(code).toBe(2);
    const doc = JSON.parse(missing.out());
    expect(doc.errors[0].fix).toContain('--profile');
    expect(missing.all()).not.toContain(sb.aws.credentials.secretAccessKey);
  });
});

describe('the secrets-manager sink', () => {
  it('stores a new access key in Secrets Manager and prints only its name', async () => {
    const io = fakeIo({ env, cwd, stdin: [] });
    const code = await applyCommand.run(['--yes', '--secret-to-secrets-manager', 'cli/okta-key'], io);
    expect(code).toBe(3);
    expect(io.out()).toContain('its secret was saved to the AWS Secrets Manager secret cli/okta-key');
    const sm = new SecretsManagerClient({
      endpoint: sb.aws.endpoint,
      region: sb.aws.region,
      credentials: sb.aws.credentials,
    });
    const stored = JSON.parse(
      (await sm.send(new GetSecretValueCommand({ SecretId: 'cli/okta-key' }))).SecretString ?? '{}',
    ) as { accessKeyId: string; secretAccessKey: string };
    expect(stored.accessKeyId).toMatch(/^AKIA/);
    expect(io.all()).not.toContain(stored.secretAccessKey);
  });
});

describe('OAuth against an org that refuses it', () => {
  it('never prints the key, even with --debug and --json (after apply made the apps, plan reads Okta)', async () => {
    const oauth = { OKTA_CLIENT_ID: '0oaservice', OKTA_PRIVATE_KEY_FILE: 'okta.pem' };
    for (const argv of [['--debug'], ['--debug', '--json']]) {
      const io = fakeIo({ env: { ...env, ...oauth }, cwd });
      const code = await planCommand.run(argv, io);
      // A refused OAuth sign-in is refused credentials: exit 2, as missing ones.
      expect(code).toBe(2);
      expect(io.all()).toContain('The OAuth sign-in to Okta failed: check OKTA_CLIENT_ID');
      expect(io.all()).not.toContain(pemBody);
      expect(io.all()).not.toContain(sb.okta.token);
    }
  });
});
