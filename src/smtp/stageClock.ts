// Times each stage of a session: entering a stage ends the one before, so the timings add up to the
// whole and the stage in progress when something fails is the one to blame.
import { performance } from "node:perf_hooks";
import type { Stage, StageTiming } from "./verifyResult.js";

export class StageClock {
  private readonly done: StageTiming[] = [];
  private startedAt = performance.now();
  private readonly began = this.startedAt;

  constructor(private stage: Stage) {}

  get current(): Stage {
    return this.stage;
  }

  enter(stage: Stage): void {
    const now = performance.now();
    this.done.push({ stage: this.stage, ms: Math.round(now - this.startedAt) });
    this.stage = stage;
    this.startedAt = now;
  }

  /** Every stage so far, including the one in progress. */
  timings(): StageTiming[] {
    return [...this.done, { stage: this.stage, ms: Math.round(performance.now() - this.startedAt) }];
  }

  elapsed(): number {
    return Math.round(performance.now() - this.began);
  }
}
