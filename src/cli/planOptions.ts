// The flag that plan and show share for the markdown format: its size budget, so that a plan posted as
// a pull-request comment stays under GitHub's limit.
import { InvalidArgumentError, Option } from "commander";
import { defaultMarkdownLimit } from "../plan/markdownLimit.js";

export function markdownLimitOption(): Option {
  return new Option("--markdown-limit <chars>", "with --format markdown: the most characters the plan may take, folding details and then fabrics to fit")
    .default(defaultMarkdownLimit, String(defaultMarkdownLimit))
    .argParser((text: string) => {
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < 1000 || n > 10_000_000) throw new InvalidArgumentError("a whole number of characters from 1000 to 10000000");
      return n;
    });
}
