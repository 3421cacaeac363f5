// What apply has done so far, and its checkpoints in the state store. Each step that succeeded is
// recorded here at once; the store is written every so often (a checkpoint) and at the end, and at
// once when a target asks for it before a call whose outcome could be lost. So a kill halfway leaves the
// state as it was at the last checkpoint: every remote object it names exists, and those made since are
// found again by the next refresh.
//
// Every write is a compare-and-swap on the version written before it, with the serial growing by one,
// so that a run whose lock was broken cannot overwrite the run that broke it. Writing a large state costs
// tens of milliseconds, so checkpoints are spaced by a multiple of the last write's cost.
import { randomUUID } from "node:crypto";
import { compareCodePoints } from "../json/canonical.js";
import { nextSerial } from "../state/stateDocument.js";
import { versionOf, type LockInfo, type State, type StateStore, type StateVersion, type TargetsState, type WriteMeta } from "../state/stateStore.js";
import type { ConnectionConfig, FabricConfig } from "../synth/fabricConfig.js";
import type { ApplyStep } from "./applyTarget.js";

interface FabricRecord {
  readonly config: FabricConfig;
  readonly connections: Map<string, ConnectionConfig>;
}

const shortestGapMs = 200;

export class StateRecorder {
  private readonly fabrics = new Map<string, FabricRecord>();
  private recordedTargets: TargetsState | undefined;
  private readonly lineage: string;
  private written: StateVersion | undefined;
  /** Grows with every change recorded; `writtenGeneration` is the one the store holds. */
  private generation = 0;
  private writtenGeneration = 0;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private lastWriteMs = 0;
  private cached: State | undefined;

  constructor(
    private readonly store: StateStore,
    private readonly lock: LockInfo,
    prior: State | undefined,
    private readonly meta: WriteMeta,
  ) {
    for (const f of prior?.fabrics ?? []) this.fabrics.set(f.name, { config: f, connections: new Map(f.connections.map((c) => [c.name, c])) });
    // The recorder owns its targets' part (updates may change it in place), so it starts from a copy.
    this.recordedTargets = prior?.targets && structuredClone(prior.targets);
    this.lineage = prior?.lineage ?? randomUUID();
    this.written = versionOf(prior);
  }

  /** The state as recorded so far (written or not). */
  state(): State {
    if (this.cached) return this.cached;
    const fabrics = [...this.fabrics.values()]
      .map(({ config, connections }) => ({ ...config, connections: [...connections.values()].sort((a, b) => compareCodePoints(a.name, b.name)) }))
      .sort((a, b) => compareCodePoints(a.name, b.name));
    this.cached = {
      version: 1,
      serial: this.written?.serial ?? 0,
      lineage: this.lineage,
      fabrics,
      // A copy: the recorded targets change in place, and a write or a caller must see them as they are now.
      ...(this.recordedTargets !== undefined && { targets: structuredClone(this.recordedTargets) }),
    };
    return this.cached;
  }

  /** The targets' part as recorded so far, without building the rest: live, to be read at once, not kept. */
  targets(): TargetsState | undefined {
    return this.recordedTargets;
  }

  /** True once a write failed: nothing more can be recorded, so nothing more may be done. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Records what a step that succeeded changed in the fabric configs. */
  recordStep(step: ApplyStep): void {
    if (step.kind === "fabric") {
      if (step.action === "delete") this.fabrics.delete(step.fabric);
      else this.fabrics.set(step.fabric, { config: step.after!, connections: this.fabrics.get(step.fabric)?.connections ?? new Map() });
    } else {
      const fabric = this.fabrics.get(step.fabric);
      // The engine runs a fabric's own step first and stops its connections when that step fails.
      if (!fabric) throw new Error(`bug: connection step for ${step.fabric}/${step.connection} before its fabric was recorded`);
      if (step.action === "delete") fabric.connections.delete(step.connection);
      else fabric.connections.set(step.connection, step.after!);
    }
    this.changed();
  }

  /** Replaces every fabric config at once: what a run without a target records. */
  recordFabrics(fabrics: readonly FabricConfig[]): void {
    this.fabrics.clear();
    for (const f of fabrics) this.fabrics.set(f.name, { config: f, connections: new Map(f.connections.map((c) => [c.name, c])) });
    this.changed();
  }

  /**
   * `update` may change the targets in place and return them: they belong to the recorder, which hands
   * out only copies (state()), so a target with thousands of steps does not copy them at each one.
   */
  recordTargets(update: (targets: TargetsState | undefined) => TargetsState): void {
    this.recordedTargets = update(this.recordedTargets);
    this.changed();
  }

  /** Writes what is recorded within a short while, together with whatever is recorded meanwhile. */
  schedule(): void {
    if (this.timer || this.failure) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((e: unknown) => (this.failure ??= e));
    }, Math.max(shortestGapMs, 4 * this.lastWriteMs));
  }

  /** Returns once everything recorded before the call is in the store. */
  async flush(): Promise<void> {
    const wanted = this.generation;
    while (this.writtenGeneration < wanted) {
      if (this.failure) throw this.failure;
      this.writing ??= this.writeLatest().finally(() => (this.writing = undefined));
      await this.writing;
    }
  }

  /** The last checkpoint: no timer is left behind, and a failed background write is reported. */
  async finish(): Promise<State> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure) throw this.failure;
    await this.flush();
    return this.state();
  }

  private changed(): void {
    this.generation += 1;
    this.cached = undefined;
  }

  private async writeLatest(): Promise<void> {
    const generation = this.generation;
    const next: State = { ...this.state(), serial: nextSerial(this.written?.serial, this.store.describe()) };
    const started = performance.now();
    try {
      await this.store.write(next, this.lock, this.written, this.meta);
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
    this.lastWriteMs = performance.now() - started;
    this.written = versionOf(next);
    this.writtenGeneration = generation;
    this.cached = undefined;
  }
}
