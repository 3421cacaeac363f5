// What the pull-request comment says and which labels the pull request carries, as plain values: the
// GitHub calls that put them there are comment.mjs's, so this module can be read (and changed) alone.
//
// One comment a pull request: it starts with a hidden marker, which is how the next run finds it to
// update it instead of adding another. Labels work as tfcmt's do: exactly one of no-changes/changes,
// plus new-destination when a password would go to a server the applied state does not send it to.

export const marker = "<!-- fabricate-plan -->";

export const labels = Object.freeze({
  noChanges: "fabricate/no-changes",
  changes: "fabricate/changes",
  newDestination: "fabricate/new-destination",
});

/** Every label this action manages: the ones a run does not want are removed. */
export const managedLabels = Object.freeze(Object.values(labels));

/** GitHub refuses a comment over 65,536 characters. */
const commentLimit = 65_536;

/** The labels for a plan: `exitcode` as `plan --detailed-exitcode` gave it (0 none, 2 changes). */
export function planLabels(exitcode, plan) {
  if (exitcode === 0) return [labels.noChanges];
  return plan.summary.destinationChanges > 0 ? [labels.changes, labels.newDestination] : [labels.changes];
}

/** Inline code, or a fence, that no run of backticks in `text` can close early. */
function fenceFor(text) {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** Which commit and run a comment speaks for, when the runner says. */
function footer(run) {
  if (!run.sha) return "";
  const commit = run.sha.slice(0, 7);
  return run.url ? `\n<sub>For ${commit}, [run ${run.id}](${run.url}).</sub>\n` : `\n<sub>For ${commit}.</sub>\n`;
}

/**
 * The comment for a plan as fabricate printed it: markdown as it is (it keeps itself under the limit),
 * text inside a diff fence, cut where it would not fit, saying so.
 */
export function planBody(planOutput, format, run) {
  const end = footer(run);
  if (format === "markdown") return fit(`${marker}\n${planOutput}`, end);
  const fence = fenceFor(planOutput);
  const head = `${marker}\n### fabricate plan\n\n${fence}diff\n`;
  const tail = `${fence}\n${end}`;
  const room = commentLimit - head.length - tail.length;
  if (planOutput.length <= room) return `${head}${planOutput}${planOutput.endsWith("\n") ? "" : "\n"}${tail}`;
  const cut = "\n… (cut: the whole plan is in the job summary and the run's log)\n";
  return `${head}${planOutput.slice(0, room - cut.length)}${cut}${tail}`;
}

function fit(body, end) {
  return `${body}${end}`.length <= commentLimit ? `${body}${end}` : `${body.slice(0, commentLimit - end.length)}${end}`;
}

/** The comment once the plan it showed no longer holds: validation (or the plan) failed on a newer commit. */
export function staleBody(reason, run) {
  return `${marker}\n### fabricate plan\n\n> [!CAUTION]\n> **No plan: ${reason}.** The plan shown here before no longer applies; it comes back once the run passes.\n${footer(run)}`;
}

/** Whether a comment is this action's: its marker first, and posted by a bot (a person can quote the marker, never post as the token's bot). */
export function isPlanComment(comment) {
  return typeof comment.body === "string" && comment.body.startsWith(marker) && comment.user?.type === "Bot";
}
