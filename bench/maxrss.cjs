// Preloaded (node --require) into a benchmarked process: reports its peak resident memory on exit,
// where the parent can read it, without depending on /usr/bin/time being installed.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  if (process.env.FABRICATE_BENCH_RSS_FILE) writeFileSync(process.env.FABRICATE_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
});
