// The plan renderers with their pieces put together, for tests that read the whole text (the CLI
// writes the pieces one after another).
import { planRenderers as piecewise } from "../../src/plan/renderer.js";

export const planRenderers = Object.fromEntries(Object.entries(piecewise).map(([format, render]) => [format, (...args: Parameters<typeof render>) => [...render(...args)].join("")])) as {
  [F in keyof typeof piecewise]: (...args: Parameters<(typeof piecewise)[F]>) => string;
};
