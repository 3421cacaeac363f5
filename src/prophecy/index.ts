// The Prophecy stage's entry point: what the CLI uses to push to Prophecy's orchestration API (apply),
// read it back (plan's refresh) and adopt what it holds (import). api.ts holds the contract.
export { connectConfigured, openProphecyTarget, refreshApplied, targetSettingsOf, type ConnectOptions, type OpenOptions } from "./connect.js";
export { importedState, planImport, readFabrics, type ImportedFabric } from "./importFabrics.js";
export { checkPushable } from "./preflight.js";
export type { ProphecyTarget, RotationReport } from "./target.js";
