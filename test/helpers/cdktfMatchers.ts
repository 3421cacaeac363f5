// cdktf's testing matchers (toHaveResourceWithProperties, toHaveProvider) for vitest: cdktf ships them
// for jest's global `expect`; here they are registered on vitest's, with vitest's partial matching.
import { testingMatchers } from "cdktf";
import { expect } from "vitest";

type Constructor = testingMatchers.TerraformConstructor;

function partialMatch(items: unknown[], properties: Record<string, unknown>): boolean {
  if (Object.keys(properties).length === 0) return items.length > 0;
  return expect.arrayContaining([expect.objectContaining(properties)]).asymmetricMatch(items);
}

expect.extend({
  toHaveResourceWithProperties(received: string, type: Constructor, properties: Record<string, unknown> = {}) {
    return testingMatchers.returnMatcherToJest(testingMatchers.getToHaveResourceWithProperties(partialMatch)(received, type, properties));
  },
  toHaveProvider(received: string, type: Constructor) {
    return testingMatchers.returnMatcherToJest(testingMatchers.getToHaveProviderWithProperties(partialMatch)(received, type, {}));
  },
});

declare module "vitest" {
  interface Assertion {
    toHaveResourceWithProperties(type: Constructor, properties?: Record<string, unknown>): void;
    toHaveProvider(type: Constructor): void;
  }
}
