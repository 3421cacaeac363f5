// Preloaded into the CLI (node --require) by tests: reports on stderr every load of cdktf, its null
// provider or constructs, to prove that commands which do not need them never pay for them.
const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/(^|\/)(cdktf|@cdktf\/provider-null|constructs)(\/|$)/.test(request)) process.stderr.write(`loaded ${request}\n`);
  return load.call(this, request, ...rest);
};
