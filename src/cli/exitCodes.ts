// The exit codes that users' CI scripts rely on (DESIGN.md, "The command line").
export const exitOk = 0;
/** The config or the check failed. */
export const exitFailed = 1;
/** Wrong usage; also `plan --detailed-exitcode` when there are changes. */
export const exitUsage = 2;
