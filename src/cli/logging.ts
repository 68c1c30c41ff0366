/**
 * The server's logs from the CLI: readable lines for a person at a terminal,
 * one JSON object a line for a program reading a pipe or a file.
 */
import pino, { Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import { LOG_REDACT_PATHS } from '../server/security/api_keys';

/** What `--log-format` accepts; `auto` chooses by whether stdout is a terminal. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** `pretty` on a terminal and `json` elsewhere, unless the user chose one. */
export function chooseLogFormat(format: LogFormat, stdoutIsTTY: boolean): 'pretty' | 'json' {
  if (format !== 'auto') return format;
  return stdoutIsTTY ? 'pretty' : 'json';
}

/** A logger writing to stdout in the chosen format. */
export function cliLogger(level: string, format: 'pretty' | 'json'): Logger {
  const base = { name: 'palestra' };
  // Wherever a request's headers are logged, the API key in them is not.
  const redact = LOG_REDACT_PATHS;
  if (format === 'json') return pino({ level, base, redact });
  // In-process and synchronous (not a transport thread), so the last lines are out before process.exit.
  const stream = PinoPretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,name',
    singleLine: true,
    sync: true,
    destination: 1,
  });
  return pino({ level, base, redact }, stream);
}
