// The plan for a terminal or a CI log, after `terraform plan`: marked lines, coloured on a terminal
// (the CLI decides: src/cli/colour.ts), ending with the summary line. With a target, what it says before
// the changes comes first: a new destination for the token, changes made outside fabricate, and calls
// whose outcome was unknown. One piece per changed fabric: the plan of a million connections is longer
// than one string can be.
import { fabricsSummaryLine, summaryLine, type Plan } from "./plan.js";
import { changedFabrics, fabricLines, targetSections, type Marker, type PlanLine } from "./planLines.js";
import type { PlanRenderOptions } from "./renderer.js";

const colours: Record<Marker, string> = { "+": "32", "-": "31", "~": "33", "-/+": "36", "!": "1;35", "?": "1;33", " ": "0" };

export function* renderPlanText(plan: Plan, options: PlanRenderOptions = {}): Generator<string, void, undefined> {
  const paint = (line: PlanLine, text: string) => (options.color && line.marker !== " " ? `\x1b[${colours[line.marker]}m${text}\x1b[0m` : text);
  const sections = targetSections(plan.target).map((s) => [s.heading, ...s.lines.map((line) => paint(line, `${"    ".repeat(line.depth)}${line.marker.padStart(3)} ${line.text}`))].join("\n"));
  if (sections.length > 0) yield `${sections.join("\n\n")}\n\n`;
  let first = true;
  for (const f of changedFabrics(plan.fabrics)) {
    const block = fabricLines(f)!
      .map((line) => {
        const text = `${"    ".repeat(line.depth)}${line.marker.padStart(3)} ${line.text}`;
        return paint(line, line.depth === 0 && options.color ? `\x1b[1m${text}\x1b[22m` : text);
      })
      .join("\n");
    yield first ? `fabricate will perform the following actions:\n\n${block}` : `\n\n${block}`;
    first = false;
  }
  const fabrics = fabricsSummaryLine(plan);
  yield `${first ? "" : "\n\n"}${fabrics ? `${fabrics}\n` : ""}${summaryLine(plan)}\n`;
}
