// Plan renderers, one file per format behind one small interface (as diagnostics do): adding a format
// is adding a file and a line here.
import type { Plan } from "./plan.js";
import type { PlanFormat } from "./planFormat.js";
import { renderPlanJson } from "./renderPlanJson.js";
import { renderPlanMarkdown } from "./renderPlanMarkdown.js";
import { renderPlanText } from "./renderPlanText.js";

export interface PlanRenderOptions {
  /** ANSI colours, for a terminal. */
  readonly color?: boolean;
  /** The markdown format's size budget, in characters (a PR comment's limit). */
  readonly markdownLimit?: number;
}

export type PlanRenderer = (plan: Plan, options?: PlanRenderOptions) => string;

export const planRenderers: Record<PlanFormat, PlanRenderer> = {
  text: renderPlanText,
  markdown: renderPlanMarkdown,
  json: renderPlanJson,
};
