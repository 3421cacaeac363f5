// The exit codes that users' CI scripts rely on, as Terraform's: 0 success, 1 any error (wrong usage
// included), and 2 only for "changes present" under `plan --detailed-exitcode`, so that a mistyped
// flag can never be read as a plan with changes.
export const exitOk = 0;
/** Any error: the config, the check, the state, or the command line itself. */
export const exitFailed = 1;
/** `plan --detailed-exitcode` when the plan has changes; never an error. */
export const exitChanges = 2;
