import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { ExitCode } from './exitCodes';
import type { CliIo } from './runCli';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & { help: { type: 'boolean'; short: 'h' } } }>>;

/**
 * Every command's argument handling: options plus `-h/--help`, its usage on `--help` (exit 0)
 * and, after the message, on a usage error (exit 2). Returns the parsed values or the exit code.
 */
export function parseCommandArgs<O extends Options>(name: string, usage: string, io: CliIo, args: string[], options: O): Parsed<O> | ExitCode {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { ...options, help: { type: 'boolean', short: 'h' } } }) as Parsed<O>;
  } catch (error) {
    return usageError(name, usage, io, (error as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(usage);
    return ExitCode.Ok;
  }
  return parsed;
}

export function usageError(name: string, usage: string, io: CliIo, message: string): ExitCode {
  io.stderr.write(`qvl ${name}: ${message}\n\n${usage}`);
  return ExitCode.Usage;
}
