// What must hold before a plan can be pushed to Prophecy, checked when the plan is made (not halfway
// through an apply): Prophecy holds only its own secrets, so every password must be a prophecy
// reference; a secret it does not hold must say where its value comes from (`from`) so that apply can
// create it; and a fabric to be created needs a provider, which Prophecy requires.
import { errorAt, type Diagnostic } from "../diagnostics/diagnostic.js";
import { formatSecretRef, type Model } from "../model.js";
import type { State } from "../state/stateStore.js";

/** `held`: the state as the plan is made against it (refreshed, when it was). */
export function checkPushable(model: Model, held: State | undefined): Diagnostic[] {
  const target = held?.targets?.prophecy;
  const recorded = new Set(held?.fabrics.map((f) => f.name));
  const diagnostics: Diagnostic[] = [];
  for (const fabric of model.fabrics) {
    const entry = recorded.has(fabric.name) ? target?.fabrics[fabric.name] : undefined;
    if (!entry && fabric.provider === undefined) {
      diagnostics.push(errorAt(fabric.origin, "prophecy.fabric-provider", `fabric ${fabric.name} has no provider, which Prophecy needs to create it: add provider: databricks, bigquery or ProphecyManaged`));
    }
    for (const c of fabric.connections) {
      const ref = c.password;
      if (ref.provider !== "prophecy") {
        diagnostics.push(
          errorAt(c.origin, "prophecy.secret-provider", `connection ${fabric.name}/${c.name}: its password is a ${ref.provider} reference (${formatSecretRef(ref)}), but Prophecy's API takes only secrets Prophecy holds`, {
            detail: `use provider: prophecy with a secret name, and from: {provider: ${ref.provider}, secret: ${ref.secret}} to upload the value from where it is now`,
          }),
        );
      } else if (!ref.from && entry?.secrets?.[ref.secret] === undefined) {
        diagnostics.push(
          errorAt(c.origin, "prophecy.secret-missing", `connection ${fabric.name}/${c.name}: Prophecy holds no secret ${ref.secret} in fabric ${fabric.name}, and the reference has no from to create it with`, {
            detail: "add from: (where the value is read, such as {provider: env, secret: NAME}) to the password, or create the secret in Prophecy first",
          }),
        );
      }
    }
  }
  return diagnostics;
}
