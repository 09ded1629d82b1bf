/**
 * A command's `--help`, rendered from the same {@link CommandSpec} its arguments are parsed with: the
 * usage forms, the description, one line per option of the spec (the common options last), notes, and
 * the exit codes. Nothing here is written by hand per command, so the help and the parser cannot drift.
 */
import { COMMON_OPTIONS, type OptionDef, type OptionSpec } from './args.js';
import type { ExitCode } from './errors.js';

/** Help lines are wrapped at this width. */
export const HELP_WIDTH = 100;
/** The column option descriptions start at. */
const DESCRIPTION_COLUMN = 24;

/** Everything a command's help and parsing need. */
export interface CommandSpec {
  /** The command as typed after `connect-okta-sso`: `plan`, `sandbox admin login`. */
  readonly name: string;
  /** One line for the command list of `connect-okta-sso --help`. */
  readonly summary?: string;
  /**
   * The usage forms, each without `connect-okta-sso ` and starting with the command's (last) word
   * (`plan [--config sso.yaml] [options]`, `add-user --login EMAIL`); long forms are wrapped between
   * bracketed groups.
   */
  readonly usage: readonly string[];
  /**
   * Paragraphs before the options. A paragraph whose lines start with a space is kept as it is
   * (examples, lists); any other is wrapped.
   */
  readonly description: readonly string[];
  /** The command's own options, in the order the help lists them. */
  readonly options: OptionSpec;
  /** Help text of the common options for this command (e.g. what `--json` prints). */
  readonly common?: Partial<Record<keyof typeof COMMON_OPTIONS, string>>;
  /** The title of the options list. Default: `Options`. */
  readonly optionsTitle?: string;
  /** Paragraphs after the options (as {@link CommandSpec.description}). */
  readonly notes?: readonly string[];
  /** What each exit code means for this command. */
  readonly exitCodes: Readonly<Partial<Record<ExitCode, string>>>;
  /** Positional arguments allowed. Default 0. */
  readonly maxPositionals?: number;
}

/** Words of `text` in lines of at most `width` characters, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent = 0, firstIndent = 0): string[] {
  const lines: string[] = [];
  let line = '';
  let room = width - firstIndent;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= room) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
      room = width - indent;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

function paragraph(text: string): string {
  if (text.startsWith(' ')) return text.replace(/\s+$/, '');
  return wrap(text, HELP_WIDTH).join('\n');
}

/** `-c, --config FILE` as the option column shows it. */
export function optionLabel(long: string, o: OptionDef): string {
  const short = o.short ? `-${o.short}, ` : '    ';
  const value = o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : '';
  return `${short}--${long}${value}`;
}

/** An option's help text: its description, then its default. */
export function optionText(o: OptionDef): string {
  const def = o.default ?? o.defaultText;
  if (def === undefined) return o.description;
  const d = o.description.trimEnd();
  return `${d}${/[.)]$/.test(d) ? '' : '.'} Default: ${def}`;
}

/** The option lines of a spec (two spaces in, descriptions at column 24, wrapped). */
export function optionLines(options: OptionSpec): string[] {
  const lines: string[] = [];
  for (const [long, o] of Object.entries(options)) {
    const label = `  ${optionLabel(long, o)}`;
    const text = wrap(optionText(o), HELP_WIDTH, DESCRIPTION_COLUMN, DESCRIPTION_COLUMN);
    if (label.length <= DESCRIPTION_COLUMN - 2) {
      lines.push(`${label.padEnd(DESCRIPTION_COLUMN)}${text[0]}`, ...text.slice(1));
    } else {
      lines.push(label, `${' '.repeat(DESCRIPTION_COLUMN)}${text[0]}`, ...text.slice(1));
    }
  }
  return lines;
}

/** The common options with a command's own wording. */
export function commonOptions(common: CommandSpec['common'] = {}): OptionSpec {
  const out: Record<string, OptionDef> = {};
  for (const [name, o] of Object.entries(COMMON_OPTIONS)) {
    const own = common[name as keyof typeof COMMON_OPTIONS];
    out[name] = own !== undefined ? { ...o, description: own } : o;
  }
  return out;
}

/** Split a usage form into groups that stay on one line: words, and `[…]` / `<…>` groups whole. */
function usageGroups(form: string): string[] {
  const groups: string[] = [];
  let current = '';
  let depth = 0;
  for (const c of form) {
    if (c === ' ' && depth === 0) {
      if (current !== '') groups.push(current);
      current = '';
      continue;
    }
    if (c === '[' || c === '<') depth++;
    if ((c === ']' || c === '>') && depth > 0) depth--;
    current += c;
  }
  if (current !== '') groups.push(current);
  return groups;
}

const startsWithWord = (text: string, word: string) => text === word || text.startsWith(`${word} `);

function usageLines(spec: CommandSpec): string[] {
  const lines: string[] = [];
  for (const [i, form] of spec.usage.entries()) {
    const lead = i === 0 ? 'Usage: ' : '       ';
    const head = `${lead}connect-okta-sso ${spec.name}`;
    const last = spec.name.split(' ').pop() ?? spec.name;
    const rest = startsWithWord(form, spec.name)
      ? form.slice(spec.name.length).trim()
      : startsWithWord(form, last)
        ? form.slice(last.length).trim()
        : form;
    const indent = head.length + 1;
    let line = head;
    let first = true;
    for (const group of usageGroups(rest)) {
      if (!first && line.length + 1 + group.length > HELP_WIDTH) {
        lines.push(line);
        line = ' '.repeat(indent - 1);
      }
      line += ` ${group}`;
      first = false;
    }
    lines.push(line);
  }
  return lines;
}

/** `Exit codes: 0 …, 1 …` wrapped. */
export function exitCodeText(codes: CommandSpec['exitCodes']): string {
  const parts = Object.entries(codes).map(([code, meaning]) => `${code} ${meaning}`);
  return wrap(`Exit codes: ${parts.join(', ')}.`, HELP_WIDTH).join('\n');
}

/** The whole `--help` text of a command. */
export function renderHelp(spec: CommandSpec): string {
  const blocks: string[] = [usageLines(spec).join('\n')];
  for (const p of spec.description) blocks.push(paragraph(p));
  const options = { ...spec.options, ...commonOptions(spec.common) };
  blocks.push(`${spec.optionsTitle ?? 'Options'}:\n${optionLines(options).join('\n')}`);
  for (const p of spec.notes ?? []) blocks.push(paragraph(p));
  if (Object.keys(spec.exitCodes).length > 0) blocks.push(exitCodeText(spec.exitCodes));
  return `${blocks.join('\n\n')}\n`;
}

/** Where the commands that call AWS and Okta take their credentials from (a note in their help). */
export const CREDENTIALS_NOTE =
  'Credentials: OKTA_API_TOKEN, or OAuth with OKTA_CLIENT_ID + OKTA_PRIVATE_KEY_FILE [+ OKTA_SCOPES] (preferred when both are set), or --okta-token-stdin; AWS from --profile or the default credential chain; AWS_ENDPOINT_URL points the AWS clients elsewhere (the sandbox). Never a flag.';

/**
 * Exit code 2 of the commands that call AWS and Okta: one code for invalid input and for credentials
 * missing or refused (a permission the credentials lack is a failure, 1).
 */
export const EXIT_USAGE_CREDENTIALS =
  'invalid input or config, or AWS or Okta credentials missing or refused';
