// Preloaded into the CLI (node --require) by tests: reports on stderr every load of a module whose
// request matches the regular expression in FABRICATE_TEST_REPORT_LOADS, to prove that commands which
// do not need a heavy dependency (cdktf, pg) never pay for it.
const Module = require("node:module");
const pattern = new RegExp(process.env.FABRICATE_TEST_REPORT_LOADS);
const load = Module._load;
Module._load = function (request, ...rest) {
  if (pattern.test(request)) process.stderr.write(`loaded ${request}\n`);
  return load.call(this, request, ...rest);
};
