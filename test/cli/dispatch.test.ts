/**
 * The top level: help, version, `help <command>`, unknown commands, `--json` on each; and the
 * `sandbox` command run in-process until its signal aborts.
 */
import { describe, expect, it } from 'vitest';
import { sandboxCommand } from '../../src/cli/commands/sandbox.js';
import { COMMANDS, dispatch } from '../../src/cli/dispatch.js';
import { fakeIo } from './fake-io.js';

describe('dispatch', () => {
  it('lists every command in --help and shows each command its own --help', async () => {
    const io = fakeIo();
    expect(await dispatch(['--help'], io)).toBe(0);
    for (const name of ['init', 'plan', 'apply', 'doctor', 'verify-saml', 'rotate-cert', 'sandbox', 'demo']) {
      expect(io.out()).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(Object.keys(COMMANDS)).toContain(name);
      const one = fakeIo();
      expect(await dispatch([name, '--help'], one)).toBe(0);
      expect(one.out()).toMatch(new RegExp(`^Usage: connect-okta-sso ${name}\\b`));
      const viaHelp = fakeIo();
      expect(await dispatch(['help', name], viaHelp)).toBe(0);
      expect(viaHelp.out()).toBe(one.out());
      const json = fakeIo();
      expect(await dispatch([name, '--help', '--json'], json)).toBe(0);
      expect(JSON.parse(json.out())).toMatchObject({ command: name, help: one.out() });
    }
  });

  it('prints the version, plain or as JSON', async () => {
    const io = fakeIo();
    expect(await dispatch(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
    const json = fakeIo();
    expect(await dispatch(['-v', '--json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toEqual({ command: 'version', version: io.out().trim() });
  });

  it('exits 2 on an unknown command, with the usage on stderr (or a JSON error)', async () => {
    const io = fakeIo();
    expect(await dispatch(['deploy'], io)).toBe(2);
    expect(io.err()).toContain("unknown command 'deploy'");
    expect(io.out()).toBe('');
    const json = fakeIo();
    expect(await dispatch(['deploy', '--json'], json)).toBe(2);
    expect(JSON.parse(json.out())).toMatchObject({ exitCode: 2, error: { code: 'USAGE' } });
  });
});

describe('sandbox', () => {
  it('prints the environment lines (or one JSON document) and stops when aborted', async () => {
    const controller = new AbortController();
    const io = fakeIo({ signal: controller.signal });
    const running = sandboxCommand.run(['--port', '0', '--json'], io);
    for (let i = 0; i < 100 && !io.out().includes('\n'); i++) await new Promise((r) => setTimeout(r, 20));
    const doc = JSON.parse(io.out());
    expect(doc.env.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc.env.OKTA_API_TOKEN).toMatch(/\S{20,}/);
    const res = await fetch(`${doc.url}/api/v1/apps`, {
      headers: { Authorization: `SSWS ${doc.env.OKTA_API_TOKEN}` },
    });
    expect(res.status).toBe(200);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('exits 2 on a bad port', async () => {
    const io = fakeIo();
    expect(await sandboxCommand.run(['--port', 'eighty'], io)).toBe(2);
    expect(io.err()).toContain('--port must be an integer from 0 to 65535');
  });
});
