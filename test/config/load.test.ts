import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, loadConfig, parseConfigText } from '../../src/config/load.js';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError } from '../../src/core/errors.js';

const TOKEN = '00SuperSecretOktaToken-9f8e7d6c5b4a';
const env = { OKTA_API_TOKEN: TOKEN };
const dir = mkdtempSync(join(tmpdir(), 'cos-config-'));

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function loadError(
  path: string,
  options: Parameters<typeof loadConfig>[1] = { env },
): Promise<ConfigError> {
  try {
    await loadConfig(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const YAML = `# yaml-language-server: $schema=../schema/connect-okta-sso.schema.json
region: us-east-1
instance:
  alias: acme-cc
okta:
  orgUrl: https://acme.okta.com
apps:
  - kind: admin
  - { kind: ccp, label: Acme CCP }
users:
  - login: jane.doe@acme.com
    app: admin
    connect: { securityProfiles: [Admin], firstName: Jane, lastName: Doe }
  - login: agent1@acme.com
    app: Acme CCP
`;

const JSON_TEXT = `{
  "$schema": "../schema/connect-okta-sso.schema.json",
  "region": "us-east-1",
  "instance": { "alias": "acme-cc" },
  "okta": { "orgUrl": "https://acme.okta.com" },
  "apps": [{ "kind": "admin" }, { "kind": "ccp", "label": "Acme CCP" }],
  "users": [
    {
      "login": "jane.doe@acme.com",
      "app": "admin",
      "connect": { "securityProfiles": ["Admin"], "firstName": "Jane", "lastName": "Doe" }
    },
    { "login": "agent1@acme.com", "app": "Acme CCP" }
  ]
}
`;

describe('loading files', () => {
  it('loads the commented example examples/sso.yaml', async () => {
    const resolved = await loadConfig(join(import.meta.dirname, '../../examples/sso.yaml'), { env });
    expect(resolved.instance.alias).toBe('acme-cc');
    expect(resolved.apps.map((a) => a.kind)).toEqual(['admin', 'ccp']);
    expect(resolved.users.map((u) => [u.login, u.app])).toEqual([
      ['jane.doe@acme.com', 'admin'],
      ['agent1@acme.com', 'ccp'],
      ['agent2@acme.com', 'ccp'],
    ]);
  });

  it('loads YAML (.yaml, .yml) and JSON into the same configuration', async () => {
    const fromYaml = await loadConfig(file('a.yaml', YAML), { env });
    const fromYml = await loadConfig(file('a.YML', YAML), { env });
    const fromJson = await loadConfig(file('a.json', JSON_TEXT), { env });
    const plain = (r: unknown) => JSON.parse(JSON.stringify(r));
    expect(plain(fromYml)).toEqual(plain(fromYaml));
    expect(plain(fromJson)).toEqual(plain(fromYaml));
    expect(fromJson.users[1]?.app).toBe('ccp');
  });

  it('reads a UTF-8 byte order mark as nothing', async () => {
    await expect(loadConfig(file('bom.json', `\uFEFF${JSON_TEXT}`), { env })).resolves.toBeDefined();
  });

  it('reads the token from the environment only: ${NAME} in okta.token, never elsewhere', async () => {
    const text = YAML.replace(
      '  orgUrl: https://acme.okta.com',
      '  orgUrl: https://acme.okta.com\n  token: ${MY_OKTA}',
    );
    const resolved = await loadConfig(file('token.yaml', text), { env: { MY_OKTA: TOKEN } });
    expect(resolved.okta.auth?.type === 'token' && resolved.okta.auth.token.reveal()).toBe(TOKEN);
    expect(JSON.stringify(resolved)).not.toContain(TOKEN);
    expect(inspect(resolved, { depth: 10 })).not.toContain(TOKEN);

    const elsewhere = YAML.replace('alias: acme-cc', 'alias: ${ALIAS}');
    const error = await loadError(file('elsewhere.yaml', elsewhere), { env: { ...env, ALIAS: 'acme' } });
    expect(error.field).toBe('instance.alias');
  });
});

describe('parse errors point into the file', () => {
  it('YAML syntax: file:line:col', async () => {
    const path = file('bad.yaml', 'region: us-east-1\ninstance:\n  alias: acme\n bad: x\n');
    const error = await loadError(path);
    expect(error.message).toBe(`${path}:4:1: All mapping items must start at the same column`);
    expect(error.field).toBe(path);
  });

  it('YAML: duplicate keys, several documents, tabs', async () => {
    expect((await loadError(file('dup.yaml', 'region: us-east-1\nregion: us-west-2\n'))).message).toMatch(
      /dup\.yaml:2:1: Map keys must be unique/,
    );
    expect((await loadError(file('docs.yaml', 'region: a\n---\nregion: b\n'))).message).toMatch(
      /docs\.yaml:2:1: .*multiple documents/,
    );
    expect((await loadError(file('tab.yaml', 'apps:\n\t- kind: admin\n'))).message).toMatch(
      /tab\.yaml:2:1: Tabs/,
    );
  });

  it('YAML: no tags, custom or language-specific', async () => {
    for (const tag of ['!!js/function "x"', '!secret abc', '!!binary aGVsbG8=', '!!timestamp 2020-01-01']) {
      const error = await loadError(file('tag.yaml', `region: ${tag}\n`));
      expect(error.message).toBe(
        `${join(dir, 'tag.yaml')}:1:9: a tag (!name or !!type): tags are not allowed in a config file`,
      );
    }
  });

  it('YAML: plain anchors and aliases work; an alias bomb and an unknown alias do not', async () => {
    const shared = `${YAML}  - { login: agent2@acme.com, app: admin, connect: &agent { securityProfiles: [Agent] } }
  - { login: agent3@acme.com, app: admin, connect: *agent }
`;
    const resolved = await loadConfig(file('anchors.yaml', shared), { env });
    expect(resolved.users[3]?.connect.securityProfiles).toEqual(['Agent']);

    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = await loadError(file('bomb.yaml', `${levels.join('\n')}\n`));
    expect(bomb.message).toMatch(/bomb\.yaml: Excessive alias count/);

    const unknown = await loadError(file('alias.yaml', 'region: *nowhere\n'));
    expect(unknown.message).toMatch(/alias\.yaml:1:9: Unresolved alias/);
  });

  it('YAML: no merge keys (a << key is just an unknown key)', async () => {
    const error = await loadError(
      file('merge.yaml', YAML.replace('  alias: acme-cc', '  <<: { alias: acme-cc }')),
    );
    expect(error.issues.map((i) => i.field)).toEqual(['instance["<<"]', 'instance.alias']);
  });

  it('JSON syntax: file:line:col for every kind of error', async () => {
    const cases: [string, string][] = [
      ['{\n  "region": "us-east-1",\n}', "3:1: a trailing ',' is not allowed in JSON"],
      ['{\n  "region": "us-east-1"\n  "apps": []\n}', "3:3: unexpected '\"': expected ',' or '}'"],
      ['{\n  // comment\n}', '2:3: comments are not allowed in JSON'],
      ['{"region": }', "1:12: unexpected '}': expected a value"],
      ['{"region": "us-east-1"', "1:23: unexpected the end of the file: expected ',' or '}'"],
      ['{"region": "us-\neast-1"}', '1:16: control character in a string'],
      ["{'region': 1}", "1:2: unexpected ''': expected a property name in double quotes"],
      ['{"a": 1} x', "1:10: unexpected 'x' after the end of the JSON value"],
      ['{"a": [1, 2 /* two */]}', '1:13: comments are not allowed in JSON'],
    ];
    for (const [text, expected] of cases) {
      const path = file('bad.json', text);
      const error = await loadError(path);
      expect(error.message.startsWith(`${path}:${expected}`)).toBe(true);
    }
  });

  it('JSON: duplicate keys are an error (JSON.parse would keep the last)', async () => {
    const path = file('dup.json', '{\n  "region": "us-east-1",\n  "region": "us-west-2"\n}');
    expect((await loadError(path)).message).toBe(`${path}:3:3: duplicate key (keys must be unique)`);
  });

  it('the JSON scanner accepts what JSON.parse accepts', () => {
    for (const text of [
      JSON_TEXT,
      '[]',
      '{}',
      '"x"',
      '-0.5e+10',
      '[true,false,null,"\\u00e9\\n"]',
      ' {"a":[{"b":{}}]} ',
    ]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(jsonSyntaxError(text)).toBeUndefined();
    }
    for (const text of ['', '01', '[1,]', '{"a"}', '"\\x"', 'nul', '[1 2]', '1.', '.5', '+1']) {
      expect(() => JSON.parse(text)).toThrow();
      expect(jsonSyntaxError(text)).toBeDefined();
    }
  });

  it('an empty file, a list, a scalar', async () => {
    expect((await loadError(file('empty.yaml', '# nothing\n'))).message).toMatch(
      /empty\.yaml: the file is empty/,
    );
    expect((await loadError(file('list.yaml', '- a\n'))).message).toMatch(
      /list\.yaml:1:1: .*mapping of settings.*not a list/,
    );
    expect((await loadError(file('scalar.json', '"x"'))).message).toMatch(/not a string/);
  });

  it('an unknown extension, a missing file, a directory, bytes that are not UTF-8', async () => {
    expect((await loadError(file('config.toml', 'x'))).message).toMatch(/unknown config file type '\.toml'/);
    const missing = await loadError(join(dir, 'missing.yaml'));
    expect(missing.message).toBe(
      `${join(dir, 'missing.yaml')}: the config file does not exist (no such file); create one with connect-okta-sso init --out ${join(dir, 'missing.yaml')}`,
    );
    expect(missing.field).toBe(join(dir, 'missing.yaml'));
    expect((missing.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    mkdirSync(join(dir, 'folder.yaml'), { recursive: true });
    expect((await loadError(join(dir, 'folder.yaml'))).message).toBe(
      `${join(dir, 'folder.yaml')}: cannot read the config file (it is a directory)`,
    );
    expect(
      (await loadError(join(import.meta.dirname, 'x.yaml').replace('x.yaml', '../config.yaml'))).message,
    ).toMatch(/no such file/);
    expect(
      (await loadError(file('latin1.yaml', Buffer.from([0x72, 0x3a, 0x20, 0xe9, 0x0a])))).message,
    ).toMatch(/not UTF-8/);
  });

  it('never repeats the text of the file (a token near a syntax error stays hidden)', async () => {
    const texts = [
      `okta:\n  token: ${TOKEN}\n bad: 1\n`,
      `okta: { token: ${TOKEN} ]\n`,
      `okta:\n  token: "${TOKEN}\n`,
      `okta:\n  token: ${TOKEN}: x\n`,
      `okta:\n  token: |${TOKEN}\n    x\n`,
      `okta:\n  token: "\\q${TOKEN}"\n`,
      `okta:\n  token: @${TOKEN}\n`,
    ];
    for (const text of texts) {
      const error = await loadError(file('leak.yaml', text));
      expect(`${error.message}\n${inspect(error)}\n${JSON.stringify(error.issues)}`).not.toContain(TOKEN);
    }
    const json = await loadError(file('leak.json', `{"okta": {"token": ${TOKEN}}}`));
    expect(`${json.message}\n${JSON.stringify(json.issues)}`).not.toContain(TOKEN);
    const tokenInBadConfig = await loadError(file('leak2.yaml', `${YAML}  token: ${TOKEN}\n`), { env: {} });
    expect(`${tokenInBadConfig.message}\n${JSON.stringify(tokenInBadConfig.issues)}`).not.toContain(TOKEN);
  });
});

describe('many problems in a file', () => {
  it('the message shows the first 20 with their line and column, then counts the rest; issues has all', async () => {
    const users = Array.from({ length: 45 }, (_, i) => `  - login: agent${i}@acme.com\n    app: nope\n`).join(
      '',
    );
    const path = file('many.yaml', `${YAML.slice(0, YAML.indexOf('users:'))}users:\n${users}`);
    const error = await loadError(path);
    expect(error.issues).toHaveLength(45);
    expect(error.issues.map((i) => i.field)).toEqual(Array.from({ length: 45 }, (_, i) => `users[${i}].app`));
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(`45 problems in ${path}:`);
    expect(lines).toHaveLength(22);
    // users: starts on line 10; each user takes two lines, its app on the second.
    expect(lines[1]).toMatch(
      new RegExp(`^  - ${path}:12:5: users\\[0\\]\\.app: no app with kind or label 'nope'`),
    );
    expect(lines[20]).toMatch(new RegExp(`^  - ${path}:50:5: users\\[19\\]\\.app: `));
    expect(lines[21]).toBe('  … and 25 more (error.issues lists all 45)');
  });

  it('many syntax problems are capped the same way', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `k${i}: [\n`).join('');
    const error = await loadError(file('broken.yaml', text));
    expect(error.issues.length).toBeGreaterThan(20);
    expect(error.message).toMatch(/\n {2}… and \d+ more \(error\.issues lists all \d+\)$/);
    expect(error.message.split('\n')).toHaveLength(22);
  });
});

describe('validation errors point into the file', () => {
  it('YAML: each problem with its line and column, issues keep the config path', async () => {
    const text = YAML.replace('alias: acme-cc', 'alias: d-acme')
      .replace('  - { kind: ccp, label: Acme CCP }', '  - { kind: ccp, label: Acme CCP, sesionDuration: 60 }')
      .replace('    app: Acme CCP', '    app: Acme CPP');
    const path = file('invalid.yaml', text);
    const error = await loadError(path);
    expect(error.issues.map((i) => i.field)).toEqual([
      'instance.alias',
      'apps[1].sesionDuration',
      'users[1].app',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe(`3 problems in ${path}:`);
    expect(lines[1]).toMatch(new RegExp(`^  - ${path}:4:3: instance\\.alias: 'd-acme': use letters`));
    expect(lines[2]).toMatch(
      new RegExp(
        `^  - ${path}:9:35: apps\\[1\\]\\.sesionDuration: unknown key \\(did you mean 'sessionDuration'\\?\\)`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^  - ${path}:15:5: users\\[1\\]\\.app: no app with kind or label 'Acme CPP' \\(did you mean 'Acme CCP'\\?\\)`,
      ),
    );
  });

  it('a missing key points at its parent', async () => {
    const path = file('missing.yaml', YAML.replace('  alias: acme-cc\n', '  inboundCalls: true\n'));
    const error = await loadError(path);
    expect(error.message).toBe(`${path}:3:1: instance.alias: is required`);
  });

  it('JSON: positions too', async () => {
    const path = file('invalid.json', JSON_TEXT.replace('"acme-cc"', '"acme cc"'));
    const error = await loadError(path);
    expect(error.message).toMatch(new RegExp(`^${path}:4:17: instance\\.alias: 'acme cc'`));
  });

  it('a key named __proto__ is an unknown key, and pollutes nothing', async () => {
    for (const [name, text] of [
      ['proto.yaml', `${YAML}__proto__: { polluted: true }\n`],
      ['proto.json', JSON_TEXT.replace('"region"', '"__proto__": { "polluted": true }, "region"')],
    ] as const) {
      const error = await loadError(file(name, text));
      expect(error.issues.map((i) => i.field)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('parseConfigText parses without validating, with the same safety', async () => {
    expect(await parseConfigText('region: x\n', 'yaml')).toEqual({ region: 'x' });
    await expect(parseConfigText('region: !!js/function x\n', 'yaml', 'inline.yaml')).rejects.toThrow(
      /inline\.yaml:1:9/,
    );
    await expect(parseConfigText('{"region": 1,}', 'json')).rejects.toThrow(
      /config\.json:1:14: a trailing ','/,
    );
    expect(() => validateConfig({ region: 'x' }, { env })).toThrow(ConfigError);
  });
});
