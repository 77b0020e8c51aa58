/** The CLI's promise to scripts: 0 all good, 1 a check failed, 2 usage or connection error. */
export const ExitCode = {
  Ok: 0,
  CheckFailed: 1,
  Usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
