// The seam between apply and the platforms it carries a plan out on (Prophecy's API today). apply
// turns a Plan into steps and calls the target once per step; the target does the remote calls and
// says whether the step succeeded. apply records each step that succeeded, and nothing of one that
// failed, so the state always says what the target holds and the next apply converges. A second
// target is one module that implements this interface.
//
// Targets also refresh: before a plan, they read what they hold for what the state says was applied,
// so that changes made outside fabricate show up and the plan puts them back.
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { DriftItem, UnknownOutcome } from "../plan/plan.js";
import type { State, TargetsState } from "../state/stateStore.js";

export type StepAction = "create" | "update" | "delete";

/**
 * One change for a target, in dependency order within its fabric: a fabric's own step (create, update,
 * or delete with all its connections) comes before its connections' steps, and a connection's delete
 * before its create. A replacement in the plan arrives as a delete followed by a create.
 */
export type ApplyStep = FabricStep | ConnectionStep;

export interface FabricStep {
  readonly kind: "fabric";
  readonly action: StepAction;
  readonly fabric: string;
  /** The fabric as applied (absent for a create). Its `connections` are not part of this step. */
  readonly before?: FabricConfig;
  /** The fabric as desired (absent for a delete). Its `connections` are not part of this step. */
  readonly after?: FabricConfig;
}

export interface ConnectionStep {
  readonly kind: "connection";
  readonly action: StepAction;
  readonly fabric: string;
  readonly connection: string;
  readonly before?: ConnectionConfig;
  readonly after?: ConnectionConfig;
  /** The desired config of the fabric the connection belongs to (its secret provider settings). */
  readonly fabricConfig: FabricConfig;
}

export type StepOutcome =
  /**
   * `durable`: the step's record (and what the target recorded with it) is written before apply goes
   * on, for a step whose result could not be found again after a kill (a fabric's id, when the target
   * cannot list fabrics).
   */
  | { readonly ok: true; readonly durable?: boolean }
  | { readonly ok: false; readonly message: string };

export interface StepContext {
  /** The state as recorded so far, this run's earlier steps included. */
  state(): State;
  /** Only its targets' part: cheap, where state() builds the whole document (call it per step freely). */
  targets(): TargetsState | undefined;
  /**
   * Records a change to the targets' part of the state (ids the target was given, calls whose outcome
   * is unknown). Written with the next checkpoint, or before this returns with `durable`: use that
   * before a call whose outcome could be lost, so that a kill leaves a record of it. `update` may change
   * what it is given in place and return it (apply owns it and hands out copies).
   */
  recordTargets(update: (targets: TargetsState | undefined) => TargetsState, options?: { readonly durable?: boolean }): Promise<void>;
}

export interface RefreshedState {
  /** The applied state with what the target holds in place of what was recorded (undefined: nothing applied). */
  readonly state: State | undefined;
  /** Where what the target holds differs from what was recorded: changes made outside fabricate. */
  readonly drift: readonly DriftItem[];
  /** Calls of an earlier run whose outcome was unknown, and what the refresh found out about them. */
  readonly unknownOutcomes: readonly UnknownOutcome[];
}

export interface ApplyTarget {
  /** For messages: `Prophecy at https://app.prophecy.io`. */
  describe(): string;
  /** What the target holds now for what `applied` records; an error when the target cannot be read. */
  refresh(applied: State | undefined): Promise<RefreshedState | { readonly error: string }>;
  /** Carries out one step. Remote failures are outcomes, not exceptions. */
  apply(step: ApplyStep, context: StepContext): Promise<StepOutcome>;
  /** Lets go of connections (keep-alive sockets). */
  close(): Promise<void>;
}
