// The plan as a pull-request comment. A reviewer reads it top-down: the summary line first, then any
// password about to go to a new server (the one change that must never slip through; with a target, the
// token going to a new address too), what the target holds that was changed outside fabricate, a table of the
// changed fabrics, and one section per team naming whose review each changed fabric needs. The full
// field-by-field changes are folded into <details>, so that a large plan stays a short comment; when even
// folded they would not fit in one GitHub comment (65,536 characters), they are left out and the comment
// says where to find them.
import { fabricsSummaryLine, summaryLine, type ConnectionChange, type FabricChange, type Plan } from "./plan.js";
import { changedFabrics, fabricLines, targetSections } from "./planLines.js";

/** Below GitHub's 65,536-character limit on a comment, with room for a marker the workflow adds. */
const commentLimit = 60_000;

export function renderPlanMarkdown(plan: Plan): string {
  const full = render(plan, true);
  return full.length <= commentLimit ? full : render(plan, false);
}

function render(plan: Plan, withDetails: boolean): string {
  const changed = changedFabrics(plan.fabrics);
  const out: string[] = ["### fabricate plan", "", `**${summaryLine(plan)}**`];
  const fabricsLine = fabricsSummaryLine(plan);
  if (fabricsLine) out.push("", fabricsLine);
  out.push(...targetPart(plan));
  if (changed.length === 0) return `${out.join("\n")}\n\nThe applied state matches the config.\n\n${summaryLine(plan)}\n`;

  const moved = changed.flatMap((f) => f.connections.filter((c) => c.destination).map((c) => ({ f, c })));
  if (moved.length > 0) {
    out.push("", "> [!WARNING]", `> **${moved.length === 1 ? "1 connection" : `${moved.length} connections`} would send a password to a new server.** Approve only if each destination is right:`);
    for (const { f, c } of moved) {
      const d = c.destination!;
      out.push(`> - ${code(`${f.name}/${c.name}`)}: ${d.secretRefs.map(code).join(", ")} would be sent to ${code(d.after)} (until now: ${code(d.before)})`);
    }
  }

  out.push("", "| Fabric | Team | Fabric change | Connections | Review needed from |", "|---|---|---|---|---|");
  for (const f of changed) {
    out.push(`| ${code(f.name)} | ${code(f.team)} | ${f.action === "no-op" ? "—" : f.action} | ${connectionCounts(f.connections)} | ${reviewersOf(f)} |`);
  }

  const teams = [...new Set(changed.map((f) => f.team))].sort();
  for (const team of teams) {
    out.push("", `#### Team ${code(team)}`);
    for (const f of changed.filter((x) => x.team === team)) out.push("", ...fabricSection(f, withDetails));
  }
  if (!withDetails) out.push("", "_The changes of each connection are too long for one comment: run `fabricate plan` to see them._");
  out.push("", summaryLine(plan));
  return `${out.join("\n")}\n`;
}

/** The target's warning, the changes made outside fabricate and the calls whose outcome was unknown. */
function targetPart(plan: Plan): string[] {
  const out: string[] = [];
  for (const section of targetSections(plan.target)) {
    const warning = section.lines.find((l) => l.marker === "!");
    if (warning) {
      out.push("", "> [!WARNING]", `> **The Prophecy token would go to an address the applied state does not bind.** Approve only if it is right: ${warning.text}`);
    } else if (section.lines.length === 0) {
      out.push("", `_${section.heading}_`);
    } else {
      const body = section.lines.map((l) => `${l.marker.padEnd(3)} ${"  ".repeat(l.depth)}${l.text}`).join("\n");
      const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
      out.push("", `**${section.heading}**`, "", `${fence}diff`, body, fence);
    }
  }
  return out;
}

function fabricSection(f: FabricChange, withDetails: boolean): string[] {
  const lines = [`**${code(f.name)}** (${f.action === "no-op" ? "connections only" : f.action}): needs review from ${reviewersOf(f)}`];
  if (!withDetails) return lines;
  lines.push("");
  if (f.fields.length > 0) lines.push(`- fabric fields: ${f.fields.map((x) => code(x.field)).join(", ")}`);
  for (const c of f.connections.filter((x) => x.action !== "no-op")) {
    const fields = c.action === "update" ? `: ${c.fields.map((x) => code(x.field)).join(", ")}` : "";
    const secret = c.action === "update" && c.fields.some((x) => x.secretRef) ? " (secret reference changed)" : "";
    lines.push(`- ${c.action} connection ${code(c.name)}${fields}${secret}${c.destination ? " — **⚠️ new destination**" : ""}`);
  }
  const body = fabricLines(f)!.map((l) => `${l.marker.padEnd(3)} ${"  ".repeat(l.depth)}${l.text}`).join("\n");
  const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
  lines.push("", `<details><summary>Changes to ${f.name}</summary>`, "", `${fence}diff`, body, fence, "", "</details>");
  return lines;
}

function connectionCounts(connections: readonly ConnectionChange[]): string {
  const wording: [ConnectionChange["action"], string][] = [["create", "to add"], ["update", "to change"], ["replace", "to replace"], ["delete", "to destroy"]];
  const parts = wording
    .map(([action, what]) => ({ count: connections.filter((c) => c.action === action).length, what }))
    .filter((p) => p.count > 0)
    .map((p) => `${p.count} ${p.what}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

function reviewersOf(f: FabricChange): string {
  return f.reviewers.length > 0 ? f.reviewers.join(", ") : `nobody declared (add \`reviewers\` to team ${code(f.team)})`;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const fence = "`".repeat(longestBacktickRun(text) + 1);
  return fence.length > 1 ? `${fence} ${text} ${fence}` : `\`${text}\``;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
