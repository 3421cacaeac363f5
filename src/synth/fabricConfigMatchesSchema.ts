// A compile-time proof that the hand-written FabricConfig (readable, documented, readonly) and the type
// generated from schemas/fabric-config.schema.json describe the same thing: if either drifts (a field
// added, dropped, retyped, or optional on one side only), `tsc` fails here. The schema stays the single
// source of truth; this file keeps the hand-written twin honest.
import type * as Generated from "../generated/FabricConfig.js";
import type { FabricConfig } from "./fabricConfig.js";

type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

/** Exact type identity (the compiler's own check), stricter than mutual assignability. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Assert<T extends true> = T;

export type FabricConfigMatchesSchema = Assert<Equals<DeepMutable<FabricConfig>, Generated.FabricConfig>>;
