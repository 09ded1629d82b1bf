/**
 * The help and the parser read one spec, so they cannot drift: every option a command's help lists is
 * accepted by that command, every option it accepts is in its help, and `--version` (which the help
 * lists for every command) works on every command. Also the renderer's wrapping, and that no spec can
 * declare a flag that would carry a secret.
 */
import { describe, expect, it } from 'vitest';
import { checkSpec, parse } from '../../src/cli/args.js';
import type { Command } from '../../src/cli/command.js';
import { defineCommand } from '../../src/cli/command.js';
import { SUBCOMMANDS } from '../../src/cli/commands/sandbox-admin.js';
import { COMMANDS, dispatch } from '../../src/cli/dispatch.js';
import { HELP_WIDTH, renderHelp, wrap } from '../../src/cli/help.js';
import { version } from '../../src/cli/version.js';
import { fakeIo } from './fake-io.js';

/** Every command line that has a help of its own, with how to run it. */
async function everyCommand(): Promise<{ argv: string[]; command: Command }[]> {
  const all: { argv: string[]; command: Command }[] = [];
  for (const [name, entry] of Object.entries(COMMANDS))
    all.push({ argv: [name], command: await entry.load() });
  for (const [sub, command] of Object.entries(SUBCOMMANDS))
    all.push({ argv: ['sandbox', 'admin', sub], command });
  return all;
}

/** The long options the help lists in its options sections (`  -c, --config FILE   …`). */
function listedOptions(help: string): string[] {
  const names: string[] = [];
  for (const line of help.split('\n')) {
    const m = /^ {2}(?:-\w, | {4})--([a-z][\w-]*)/.exec(line);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

describe('help from the spec', () => {
  it('every command takes --version and -v, as the top-level help says, plain and as JSON', async () => {
    const top = fakeIo();
    await dispatch(['--help'], top);
    expect(top.out()).toMatch(/^ {2}-v, --version +Show the version$/m);
    const v = await version();
    for (const { argv } of await everyCommand()) {
      for (const flag of ['--version', '-v']) {
        const io = fakeIo({ stdin: [] });
        expect(await dispatch([...argv, flag], io), `${argv.join(' ')} ${flag}: ${io.err()}`).toBe(0);
        expect(io.out()).toBe(`${v}\n`);
      }
      const json = fakeIo({ stdin: [] });
      expect(await dispatch([...argv, '--version', '--json'], json)).toBe(0);
      expect(JSON.parse(json.out())).toEqual({ command: 'version', version: v });
    }
  });

  it('every option a help lists is accepted, and every accepted option is listed', async () => {
    for (const { argv, command } of await everyCommand()) {
      const io = fakeIo();
      expect(await dispatch([...argv, '--help'], io)).toBe(0);
      const help = io.out();
      const listed = listedOptions(help);
      expect(listed.length, argv.join(' ')).toBeGreaterThan(3);
      for (const common of ['json', 'debug', 'help', 'version']) expect(listed).toContain(common);
      expect(command.spec, argv.join(' ')).toBeDefined();
      const accepted = Object.keys({ ...command.spec?.options, json: 1, debug: 1, help: 1, version: 1 });
      expect(new Set(listed), argv.join(' ')).toEqual(new Set(accepted));
      // Each listed option parses: nothing the help promises is refused as unknown.
      for (const name of listed) {
        const probe = fakeIo({ stdin: [] });
        const spec = command.spec?.options[name];
        const arg = spec?.type === 'string' ? [`--${name}`, 'x'] : [`--${name}`];
        await dispatch([...argv, ...arg, '--help'], probe);
        expect(probe.err(), `${argv.join(' ')} --${name}`).not.toContain('unknown option');
        expect(probe.out(), `${argv.join(' ')} --${name}`).toMatch(/^(Usage: |\{\n {2}"command")/);
      }
    }
  });

  it('the usage line names the command, and no help line is wider than the width', async () => {
    for (const { argv } of await everyCommand()) {
      const io = fakeIo();
      await dispatch([...argv, '--help'], io);
      expect(io.out()).toMatch(new RegExp(`^Usage: connect-okta-sso ${argv.join(' ')}\\b`));
      for (const line of io.out().split('\n')) {
        // A single unbreakable word (a URL, an example command) may be longer; prose is wrapped.
        if (line.length > HELP_WIDTH) expect(line.trim(), line).not.toMatch(/\s\S+\s\S+\s/);
      }
    }
  });

  it('renders options with their placeholder, short alias and default, and wraps the rest', () => {
    const help = renderHelp({
      name: 'thing',
      usage: ['thing [--file F]'],
      description: ['One paragraph.', '  kept   as written'],
      options: {
        file: { type: 'string', short: 'f', value: 'F', description: 'The file.', default: 'a.yaml' },
        'a-very-long-option-name': { type: 'boolean', description: 'Goes on its own line' },
      },
      exitCodes: { 0: 'done', 2: 'bad input' },
    });
    expect(help).toContain('Usage: connect-okta-sso thing [--file F]\n');
    expect(help).toContain('\n  kept   as written\n');
    expect(help).toMatch(/^ {2}-f, --file F {10}The file\. Default: a\.yaml$/m);
    expect(help).toMatch(/^ {6}--a-very-long-option-name\n {24}Goes on its own line$/m);
    expect(help).toMatch(/^ {2}-v, --version +Show the version$/m);
    expect(help.trimEnd().endsWith('Exit codes: 0 done, 2 bad input.')).toBe(true);
    expect(wrap('aaa bbb ccc ddd', 8, 2)).toEqual(['aaa bbb', '  ccc', '  ddd']);
  });

  it('a spec default is what the command gets, and it knows the option was not given', () => {
    const spec = { config: { type: 'string', description: 'x', default: 'sso.yaml' } } as const;
    const none = parse([], spec);
    expect(none.values.config).toBe('sso.yaml');
    expect(none.given?.has('config')).toBe(false);
    const some = parse(['--config', 'b.yaml'], spec);
    expect(some.values.config).toBe('b.yaml');
    expect(some.given?.has('config')).toBe(true);
  });

  it('no command can declare an option that would take a secret', () => {
    expect(() => checkSpec('x', { password: { type: 'string' } })).toThrow('would take a secret');
    expect(() =>
      checkSpec('x', { a: { type: 'string', short: 'c' }, b: { type: 'string', short: 'c' } }),
    ).toThrow('-c is both --a and --b');
    expect(() =>
      defineCommand(
        {
          name: 'x',
          usage: ['x'],
          description: [],
          options: { token: { type: 'string', description: 'no' } },
          exitCodes: {},
        },
        async () => 0,
      ),
    ).toThrow('would take a secret');
  });

  it('apply --wait-timeout without --wait is still refused (the spec default is not "given")', async () => {
    const io = fakeIo({ stdin: [] });
    expect(await dispatch(['apply', '--yes', '--wait-timeout', '5m', '--config', 'none.yaml'], io)).toBe(2);
    expect(io.err()).toContain('--wait-timeout only applies with --wait');
  });
});
