// The plan as a pull-request comment. A reviewer reads it top-down: the summary line first, then any
// password about to go to a new server (the one change that must never slip through; with a target, the
// token going to a new address too), what the target holds that was changed outside fabricate, a table
// of the changed fabrics, and one section per team naming whose review each changed fabric needs. The full
// field-by-field changes are folded into <details>.
//
// A comment must fit GitHub's limit (65,536 characters), so the plan stays under a budget (default
// 60,000, --markdown-limit): the details of the last fabrics are left out first, then whole fabrics
// (their table rows and sections) are summed up in one line with their counts and a pointer to the full
// plan. The warnings about new destinations always stay, and nothing is cut in the middle of a row.
import { fabricsSummaryLine, summaryLine, type ConnectionChange, type FabricChange, type Plan } from "./plan.js";
import { changedFabrics, connectionShown, declaredFields, fabricLines, targetSections } from "./planLines.js";
import { defaultMarkdownLimit } from "./markdownLimit.js";
import type { PlanRenderOptions } from "./renderer.js";


/** One changed fabric's parts of the comment, each whole. */
interface FabricPiece {
  readonly fabric: FabricChange;
  readonly row: string;
  readonly heading: string;
  readonly details: string;
}

export function renderPlanMarkdown(plan: Plan, options: PlanRenderOptions = {}): string {
  const limit = options.markdownLimit ?? defaultMarkdownLimit;
  const changed = changedFabrics(plan.fabrics);
  const head = headLines(plan, changed, limit).join("\n");
  if (changed.length === 0) return `${head}\n\nThe applied state matches the config.\n\n${summaryLine(plan)}\n`;
  const pieces = changed.map(piece);
  // Shown in full: the first `withDetails` fabrics; shown at all: the first `shown`. Fold details from the
  // end, then leave whole fabrics out from the end, until the comment fits (or nothing is left to fold).
  let shown = pieces.length;
  let withDetails = pieces.length;
  let text = assemble(plan, head, pieces, shown, withDetails);
  while (text.length > limit && withDetails > 0) {
    withDetails = Math.max(0, withDetails - Math.max(1, Math.ceil((text.length - limit) / averageDetails(pieces, withDetails))));
    text = assemble(plan, head, pieces, shown, withDetails);
  }
  while (text.length > limit && shown > 0) {
    shown = Math.max(0, shown - Math.max(1, Math.ceil((text.length - limit) / averageSize(pieces, shown))));
    text = assemble(plan, head, pieces, shown, 0);
  }
  return text;
}

function averageDetails(pieces: readonly FabricPiece[], count: number): number {
  return Math.max(1, pieces.slice(0, count).reduce((n, p) => n + p.details.length, 0) / count);
}

function averageSize(pieces: readonly FabricPiece[], count: number): number {
  return Math.max(1, pieces.slice(0, count).reduce((n, p) => n + p.row.length + p.heading.length + 2, 0) / count);
}

function headLines(plan: Plan, changed: readonly FabricChange[], limit: number): string[] {
  const out: string[] = ["### fabricate plan", "", `**${summaryLine(plan)}**`];
  const fabricsLine = fabricsSummaryLine(plan);
  if (fabricsLine) out.push("", fabricsLine);
  out.push(...targetPart(plan, limit));
  const moved = changed.flatMap((f) => f.connections.filter((c) => c.destination).map((c) => ({ f, c })));
  if (moved.length > 0) {
    out.push("", "> [!WARNING]", `> **${moved.length === 1 ? "1 connection" : `${moved.length} connections`} would send a password to a new server.** Approve only if each destination is right:`);
    for (const { f, c } of moved) {
      const d = c.destination!;
      out.push(`> - ${code(`${f.name}/${c.name}`)}: ${d.secretRefs.map(code).join(", ")} would be sent to ${code(d.after)} (until now: ${code(d.before)})`);
    }
  }
  return out;
}

function piece(f: FabricChange): FabricPiece {
  return {
    fabric: f,
    row: `| ${code(f.name)} | ${code(f.team)} | ${f.action === "no-op" ? "—" : f.action} | ${connectionCounts(f.connections)} | ${reviewersOf(f)} |`,
    heading: `**${code(f.name)}** (${f.action === "no-op" ? "connections only" : f.action}): needs review from ${reviewersOf(f)}`,
    details: fabricDetails(f).join("\n"),
  };
}

function assemble(plan: Plan, head: string, pieces: readonly FabricPiece[], shown: number, withDetails: number): string {
  const out: string[] = [head, "", "| Fabric | Team | Fabric change | Connections | Review needed from |", "|---|---|---|---|---|"];
  for (const p of pieces.slice(0, shown)) out.push(p.row);
  const rest = pieces.slice(shown);
  if (rest.length > 0) out.push(`| … ${rest.length} more fabric(s) | | | ${connectionCounts(rest.flatMap((p) => p.fabric.connections))} | |`);
  const visible = pieces.slice(0, shown).map((p, i) => ({ p, details: i < withDetails }));
  const teams = [...new Set(visible.map((v) => v.p.fabric.team))].sort();
  for (const team of teams) {
    out.push("", `#### Team ${code(team)}`);
    for (const v of visible.filter((x) => x.p.fabric.team === team)) out.push("", v.p.heading, ...(v.details ? ["", v.p.details] : []));
  }
  if (withDetails < pieces.length) {
    const folded = pieces.length - Math.min(withDetails, pieces.length);
    out.push("", `_The plan is too long for one comment: the changes of ${folded} fabric(s)${rest.length > 0 ? `, ${rest.length} of them entirely,` : ""} are left out here. Run \`fabricate plan\` or see the job summary for the full plan._`);
  }
  out.push("", summaryLine(plan));
  return `${out.join("\n")}\n`;
}

/**
 * The target's warning, the changes made outside fabricate and the calls whose outcome was unknown. The
 * two lists take at most a quarter of the budget each, cut between whole items, so that a mass change
 * made outside fabricate still leaves room for the plan itself.
 */
function targetPart(plan: Plan, limit: number): string[] {
  const out: string[] = [];
  for (const section of targetSections(plan.target)) {
    const warning = section.lines.find((l) => l.marker === "!");
    if (warning) {
      out.push("", "> [!WARNING]", `> **The Prophecy token would go to an address the applied state does not bind.** Approve only if it is right: ${warning.text}`);
    } else if (section.lines.length === 0) {
      out.push("", `_${section.heading}_`);
    } else {
      const budget = limit / 4;
      const kept: string[] = [];
      let size = 0;
      let left = 0;
      for (const [i, l] of section.lines.entries()) {
        const text = `${l.marker.padEnd(3)} ${"  ".repeat(l.depth)}${l.text}`;
        // An item is a line at depth 0 and the deeper lines under it: whole, or not at all.
        if (l.depth === 0 && size + text.length > budget && kept.length > 0) left = section.lines.slice(i).filter((x) => x.depth === 0).length;
        if (left > 0) break;
        kept.push(text);
        size += text.length + 1;
      }
      if (left > 0) kept.push(`    … and ${left} more: run \`fabricate plan\` for all of them`);
      const body = kept.join("\n");
      const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
      out.push("", `**${section.heading}**`, "", `${fence}diff`, body, fence);
    }
  }
  return out;
}

/** The connection list and the folded field-by-field changes of one fabric. */
function fabricDetails(f: FabricChange): string[] {
  const lines: string[] = [];
  if (f.fields.length > 0) lines.push(`- fabric fields: ${f.fields.map((x) => code(x.field)).join(", ")}`);
  for (const c of f.connections.filter(connectionShown)) {
    const fields = c.action === "update" ? `: ${declaredFields(c.fields).map((x) => code(x.field)).join(", ")}` : "";
    const secret = c.action === "update" && c.fields.some((x) => x.secretRef) ? " (secret reference changed)" : "";
    const action = c.action === "no-op" ? "unchanged" : c.action;
    lines.push(`- ${action} connection ${code(c.name)}${fields}${secret}${c.destination ? " — **⚠️ new destination**" : ""}`);
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
