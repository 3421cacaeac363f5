// The Prophecy apply target: each step of a plan as calls to Prophecy's orchestration API, and what the
// state must remember of them (ids, pending creates). apply calls it once per step, in dependency
// order, and records each step that succeeded; this module records what only it knows.
//
// - fabric create: POST, and the id into the state. Update: PUT name and description, only when one of
//   them (or the name Prophecy holds) differs: fabricate's own fields (members, trusted hosts, secret
//   settings) live in the state alone. Delete: DELETE, which takes the fabric's connections with it.
//   A connection update likewise calls only when the body Prophecy holds differs from the desired one.
// - connection create and update: the body of the desired config, its password naming the Prophecy
//   secret by id. The secret is looked up by name in its fabric (one list per fabric and run); when it
//   is missing and the reference says where its value comes from (`from`), it is created with that
//   value, read in memory only after the trust rules allow the upload, and never stored or printed.
// - Every POST is recorded as pending, durably, before it is sent, and the record is dropped once the
//   answer says what happened. So when the answer never comes (or the process is killed), the next
//   refresh finds the record: it looks a connection or secret up, and the plan says how to settle a
//   fabric. A fabric create's record covers the connections and secrets this run then creates in it
//   (`contents`: they follow at once), and its id is written with the step's record before apply goes
//   on (only the user could find a lost one), so a new fabric costs two durable writes, shared with the
//   fabrics created beside it, not one per call.
// - PUT and DELETE are safe to repeat: a failure is a failure, and the next apply does it again; a
//   DELETE of what is already gone is done.
import type { ApplyStep, ApplyTarget, ConnectionStep, FabricStep, RefreshedState, StepContext, StepOutcome } from "../apply/applyTarget.js";
import { formatSecretRef, type SecretRef } from "../model.js";
import type { PendingCalls, State, TargetsState } from "../state/stateStore.js";
import { secretRefOf, type FabricConfig } from "../synth/fabricConfig.js";
import * as api from "./api.js";
import type { ProphecyClient } from "./client.js";
import { refreshProphecy } from "./refresh.js";
import {
  all,
  pendingOf,
  recordingSettings,
  setFabric,
  setPending,
  setSecret,
  withoutPendingConnection,
  withoutPendingSecret,
  type EndpointSettings,
  type TargetUpdate,
} from "./targetState.js";

/**
 * Reads the value to upload for a prophecy reference with `from`, once the trust rules allow it to go
 * to Prophecy; a refusal or a read that failed is an error in words (never the value).
 */
export type UploadGate = (fabric: FabricConfig, ref: SecretRef) => Promise<{ readonly value: string } | { readonly error: string }>;

export interface ProphecyTargetOptions {
  readonly client: ProphecyClient;
  /** The settings this run connects with, recorded as applied with what it records. */
  readonly settings: EndpointSettings;
  readonly parallelism: number;
  readonly uploads: UploadGate;
  /** The time a pending call is recorded at (ISO 8601). */
  readonly now?: () => string;
}

export interface RotationReport {
  readonly fabric: string;
  readonly secret: string;
  readonly result: "done" | "failed" | "skipped";
  readonly message?: string;
}

type SecretIds = Map<string, string>;
/** `unknown`: a create was sent whose outcome could not be learnt. */
type Failure = { readonly ok: false; readonly message: string; readonly unknown?: boolean };

const pendingNote = "It is recorded as pending: the next plan says what became of it.";

export class ProphecyTarget implements ApplyTarget {
  private readonly client: ProphecyClient;
  private readonly now: () => string;
  /** Fabric → its secrets by name, listed at most once per run. */
  private readonly secretLists = new Map<string, Promise<SecretIds | Failure>>();
  /** Fabric and secret name → the secret's id, found or created once per run. */
  private readonly secrets = new Map<string, Promise<{ readonly id: string } | Failure>>();
  /** Secrets this run created: their value is fresh, so a rotation skips them. */
  private readonly created = new Set<string>();
  /** Fabric created by this run → its connection creates not yet over, and whether one's outcome is unknown. */
  private readonly contents = new Map<string, { left: number; unsure: boolean }>();
  /** Fabrics the last refresh found under another name in Prophecy. */
  private readonly renamedOutside = new Set<string>();

  constructor(private readonly options: ProphecyTargetOptions) {
    this.client = options.client;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  describe(): string {
    return `Prophecy at ${this.options.settings.url}`;
  }

  async refresh(applied: State | undefined): Promise<RefreshedState | { error: string }> {
    const refreshed = await refreshProphecy(applied, this.client, this.options.parallelism);
    if ("error" in refreshed) return refreshed;
    this.renamedOutside.clear();
    for (const d of refreshed.drift) if (d.connection === undefined && d.fields.some((f) => f.field === "name")) this.renamedOutside.add(d.fabric);
    return refreshed;
  }

  /**
   * `targets` with this run's settings recorded as applied, for a run that changes nothing else: its
   * refresh sent the token there (the trust rules allowed it), so later runs may too.
   */
  withSettings(targets: TargetsState | undefined): TargetsState {
    return recordingSettings(this.options.settings, (t) => t)(targets);
  }

  apply(step: ApplyStep, context: StepContext): Promise<StepOutcome> {
    return step.kind === "fabric" ? this.applyFabric(step, context) : this.applyConnection(step, context);
  }

  async close(): Promise<void> {
    this.client.close();
  }

  /** Uploads the values of the named secrets again (all of them when `names` is empty). */
  async rotate(desired: readonly FabricConfig[], names: readonly string[], state: State | undefined): Promise<RotationReport[]> {
    const reports: RotationReport[] = [];
    const wanted = (fabric: string, secret: string) => names.length === 0 || names.includes(secret) || names.includes(`${fabric}/${secret}`);
    for (const fabric of desired) {
      const fabricId = state?.targets?.prophecy?.fabrics[fabric.name]?.id;
      const seen = new Set<string>();
      for (const c of fabric.connections) {
        const ref = secretRefOf(c.properties.smtpPassword);
        if (ref.provider !== "prophecy" || !ref.from || seen.has(ref.secret) || !wanted(fabric.name, ref.secret)) continue;
        seen.add(ref.secret);
        reports.push(await this.rotateOne(fabric, fabricId, ref));
      }
    }
    return reports;
  }

  private async rotateOne(fabric: FabricConfig, fabricId: string | undefined, ref: SecretRef): Promise<RotationReport> {
    const base = { fabric: fabric.name, secret: ref.secret };
    if (this.created.has(secretKey(fabric.name, ref.secret))) return { ...base, result: "skipped", message: "created by this apply, with the current value" };
    if (fabricId === undefined) return { ...base, result: "skipped", message: `fabric ${fabric.name} is not in Prophecy` };
    const ids = await this.secretIds(fabric.name, fabricId);
    if ("message" in ids) return { ...base, result: "failed", message: ids.message };
    const id = ids.get(ref.secret);
    if (id === undefined) return { ...base, result: "skipped", message: `Prophecy holds no secret ${ref.secret} in fabric ${fabric.name}` };
    const read = await this.options.uploads(fabric, ref);
    if ("error" in read) return { ...base, result: "failed", message: read.error };
    const r = await this.client.call(api.updateSecret(fabricId, fabric.name, { id, name: ref.secret }, read.value), [read.value]);
    return r.ok ? { ...base, result: "done" } : { ...base, result: "failed", message: r.message };
  }

  private record(context: StepContext, update: TargetUpdate, durable = false): Promise<void> {
    return context.recordTargets(recordingSettings(this.options.settings, update), { durable });
  }

  private async applyFabric(step: FabricStep, context: StepContext): Promise<StepOutcome> {
    const name = step.fabric;
    const id = context.targets()?.prophecy?.fabrics[name]?.id;
    switch (step.action) {
      case "create":
        return this.createFabric(step.after!, context);
      case "update": {
        if (id === undefined) return failure("the state holds no Prophecy id for it");
        const before = step.before!;
        const after = step.after!;
        if (before.description === after.description && !this.renamedOutside.has(name)) return { ok: true };
        const r = await this.client.call(api.updateFabric(id, after));
        return r.ok ? { ok: true } : failure(r.message);
      }
      case "delete": {
        if (id === undefined) return { ok: true };
        const r = await this.client.call(api.deleteFabric(id, name));
        if (!r.ok && r.status !== 404) return failure(r.message);
        this.forget(name);
        await this.record(context, all(setFabric(name, undefined), setPending(name, () => ({}))));
        return { ok: true };
      }
    }
  }

  private async createFabric(fabric: FabricConfig, context: StepContext): Promise<StepOutcome> {
    const name = fabric.name;
    if (fabric.provider === undefined) return failure("it has no provider, which Prophecy needs to create it (databricks, bigquery or ProphecyManaged)");
    const since = this.now();
    // One record for the fabric and everything this apply creates in it (they follow at once).
    const calls: PendingCalls = { fabric: { team: fabric.teamName, since }, ...(fabric.connections.length > 0 && { contents: since }) };
    await this.record(context, setPending(name, () => calls), true);
    const r = await this.client.call(api.createFabric({ ...fabric, provider: fabric.provider }));
    if (r.ok) {
      // A fabric just created holds no secrets: nothing to list.
      this.secretLists.set(name, Promise.resolve(new Map()));
      if (fabric.connections.length > 0) this.contents.set(name, { left: fabric.connections.length, unsure: false });
      await this.record(context, all(setFabric(name, { id: r.value.id }), setPending(name, (c) => ({ ...c, fabric: undefined }))));
      // Written with the step's record before apply goes on: a fabric whose id is lost can only be
      // found again by the user (no call lists fabrics).
      return { ok: true, durable: true };
    }
    if (r.unknown) {
      // Its connections and secrets will not be sent: only the fabric's own create stays pending.
      await this.record(context, setPending(name, () => ({ fabric: calls.fabric! })), true);
      return failure(`${r.message}. ${pendingNote}`);
    }
    await this.record(context, setPending(name, () => ({})), true);
    if (r.status === 409) {
      return failure(`${r.message}. If that is this fabric (an earlier apply's create whose answer was lost), find its id in Prophecy and run \`fabricate import --fabric-id ID\`; otherwise rename one of the two`);
    }
    return failure(r.message);
  }

  private async applyConnection(step: ConnectionStep, context: StepContext): Promise<StepOutcome> {
    const fabric = step.fabric;
    const fabricId = context.targets()?.prophecy?.fabrics[fabric]?.id;
    if (fabricId === undefined) return failure(`the state holds no Prophecy id for fabric ${fabric}`);
    if (step.action === "delete") {
      const r = await this.client.call(api.deleteConnection(fabricId, fabric, step.connection));
      return r.ok || r.status === 404 ? { ok: true } : failure(r.message);
    }
    const connection = step.after!;
    // What Prophecy holds (the refreshed `before`) already has the body: only fabricate's own fields change.
    if (step.action === "update" && step.before && api.sameConnectionBody(step.before, connection)) return { ok: true };
    if (step.action === "update") {
      const secret = await this.secretOf(step, fabricId, context);
      if ("message" in secret) return failure(secret.message);
      const r = await this.client.call(api.updateConnection(fabricId, fabric, connection, secret.id));
      if (!r.ok) return failure(r.message);
      await this.record(context, setSecret(fabric, secret.name, secret.id));
      return { ok: true };
    }
    const created = await this.createConnection(step, fabricId, context);
    await this.contentsDone(fabric, created.unknown, context);
    return created.outcome;
  }

  /** The Prophecy secret a connection's password names, found or created. */
  private async secretOf(step: ConnectionStep, fabricId: string, context: StepContext): Promise<{ readonly id: string; readonly name: string } | Failure> {
    const ref = secretRefOf(step.after!.properties.smtpPassword);
    if (ref.provider !== "prophecy") return { ok: false, message: `its password is a ${ref.provider} reference; Prophecy's API takes only secrets it holds (provider: prophecy)` };
    const secret = await this.secretFor(step.fabricConfig, fabricId, ref, context);
    return "message" in secret ? secret : { id: secret.id, name: ref.secret };
  }

  /** `unknown`: a create this step sent (the secret's or the connection's) may or may not have been carried out. */
  private async createConnection(step: ConnectionStep, fabricId: string, context: StepContext): Promise<{ outcome: StepOutcome; unknown: boolean }> {
    const fabric = step.fabric;
    const connection = step.after!;
    const secret = await this.secretOf(step, fabricId, context);
    if ("message" in secret) return { outcome: failure(secret.message), unknown: secret.unknown === true };
    if (!this.pendingCovers(context, fabric, "connections", connection.name)) {
      await this.record(context, setPending(fabric, (c) => ({ ...c, connections: { ...c.connections, [connection.name]: this.now() } })), true);
    }
    const r = await this.client.call(api.createConnection(fabricId, fabric, connection, secret.id));
    if (r.ok) {
      await this.record(context, all(setPending(fabric, withoutPendingConnection(connection.name)), setSecret(fabric, secret.name, secret.id)));
      return { outcome: { ok: true }, unknown: false };
    }
    if (r.unknown) return { outcome: failure(`${r.message}. ${pendingNote}`), unknown: true };
    await this.record(context, setPending(fabric, withoutPendingConnection(connection.name)), true);
    const adopt = r.status === 409 ? `. Prophecy already holds a connection of that name that fabricate did not record: adopt it with \`fabricate import --fabric-id ${fabricId}\`, or delete it in Prophecy` : "";
    return { outcome: failure(`${r.message}${adopt}`), unknown: false };
  }

  /** True when a create in the fabric is recorded as pending already (its own, or with the fabric's). */
  private pendingCovers(context: StepContext, fabric: string, kind: "connections" | "secrets", name: string): boolean {
    const calls = pendingOf(context.targets()?.prophecy, fabric);
    return calls?.contents !== undefined || calls?.[kind]?.[name] !== undefined;
  }

  /**
   * A connection create in a fabric this run created is over. After the last one, the record that
   * covered them all goes, unless one of them may have been carried out unseen (then the next refresh
   * settles it).
   */
  private async contentsDone(fabric: string, unknown: boolean, context: StepContext): Promise<void> {
    const contents = this.contents.get(fabric);
    if (!contents) return;
    contents.left -= 1;
    contents.unsure ||= unknown;
    if (contents.left > 0) return;
    this.contents.delete(fabric);
    if (!contents.unsure) await this.record(context, setPending(fabric, (c) => ({ ...c, contents: undefined })));
  }

  /** What this run learnt of a fabric that was just deleted or created. */
  private forget(fabric: string): void {
    this.secretLists.delete(fabric);
    for (const key of this.secrets.keys()) if (key.startsWith(secretKey(fabric, ""))) this.secrets.delete(key);
  }

  private secretIds(fabric: string, fabricId: string): Promise<SecretIds | Failure> {
    let list = this.secretLists.get(fabric);
    if (!list) {
      list = this.client.call(api.listSecrets(fabricId, fabric)).then((r) => (r.ok ? new Map(r.value.map((s) => [s.name, s.id])) : { ok: false as const, message: r.message }));
      this.secretLists.set(fabric, list);
    }
    return list;
  }

  /** The id of the Prophecy secret a reference names, created from its `from` when it is missing. */
  private secretFor(fabric: FabricConfig, fabricId: string, ref: SecretRef, context: StepContext): Promise<{ readonly id: string } | Failure> {
    const key = secretKey(fabric.name, ref.secret);
    let found = this.secrets.get(key);
    if (!found) {
      found = this.findOrCreateSecret(fabric, fabricId, ref, context);
      this.secrets.set(key, found);
    }
    return found;
  }

  private async findOrCreateSecret(fabric: FabricConfig, fabricId: string, ref: SecretRef, context: StepContext): Promise<{ readonly id: string } | Failure> {
    const name = fabric.name;
    const ids = await this.secretIds(name, fabricId);
    if ("message" in ids) return ids;
    const existing = ids.get(ref.secret);
    if (existing !== undefined) return { id: existing };
    if (!ref.from) {
      return { ok: false, message: `Prophecy holds no secret ${ref.secret} in fabric ${name}, and the reference has no from to create it with (add from: to the password, or create the secret in Prophecy)` };
    }
    const read = await this.options.uploads(fabric, ref);
    if ("error" in read) return { ok: false, message: `secret ${ref.secret} cannot be created from ${formatSecretRef(ref.from)}: ${read.error}` };
    if (!this.pendingCovers(context, name, "secrets", ref.secret)) {
      await this.record(context, setPending(name, (c) => ({ ...c, secrets: { ...c.secrets, [ref.secret]: this.now() } })), true);
    }
    const r = await this.client.call(api.createSecret(fabricId, name, ref.secret, read.value), [read.value]);
    if (r.ok) {
      ids.set(ref.secret, r.value.id);
      this.created.add(secretKey(name, ref.secret));
      await this.record(context, all(setPending(name, withoutPendingSecret(ref.secret)), setSecret(name, ref.secret, r.value.id)));
      return { id: r.value.id };
    }
    if (r.unknown) return { ok: false, message: `${r.message}. ${pendingNote}`, unknown: true };
    await this.record(context, setPending(name, withoutPendingSecret(ref.secret)), true);
    return { ok: false, message: r.message };
  }
}

function secretKey(fabric: string, secret: string): string {
  return `${fabric}/${secret}`;
}

function failure(message: string): StepOutcome {
  return { ok: false, message };
}
