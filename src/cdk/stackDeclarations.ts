// Everything fabricate knows about one TerraformStack: the Team, Fabric and SmtpConnection constructs
// declared in it, turned into the same declaration document a YAML file holds and put through the same
// checks (checkSources), so that CDK and YAML build the same Model and the same bytes. Each diagnostic
// names the construct path where YAML would name file:line:col.
//
// The stack's synthesizer is wrapped so that the fabric configs (and a manifest covering them and
// cdk.tf.json) are written beside cdk.tf.json, and warnings reach cdktf as annotations. Connections'
// Terraform resources take their attributes from the checked Model, computed once per synthesis.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { Annotations, TerraformStack, type IStackSynthesizer, type ISynthesisSession } from "cdktf";
import type { IConstruct } from "constructs";
import { checkSources } from "../config/loadConfig.js";
import type { ConfigSource } from "../config/configSource.js";
import { hasErrors, type Diagnostic, type DocPath, type Location } from "../diagnostics/diagnostic.js";
import type * as Decl from "../generated/Fabricate.js";
import type { Model } from "../model.js";
import { synthFabrics, type FabricConfig } from "../synth/fabricConfig.js";
import { fabricConfigFiles } from "../synth/fabricConfigFiles.js";
import { writeFilesInto } from "../synth/writeOutputDir.js";
import { FabricateConfigError } from "./configError.js";
import { verifyResource, verifyResourceNameClashes, type VerifyResource } from "../terraform/verifyResource.js";
import type { VerifySettings } from "../terraform/verifySettings.js";

export interface DeclaredTeam extends IConstruct {
  teamDeclaration(): Decl.Team;
}

export interface DeclaredConnection extends IConstruct {
  connectionDeclaration(): Decl.Connection;
}

export interface DeclaredFabric extends IConstruct {
  /** Without its connections, which are the DeclaredConnections below it. */
  fabricDeclaration(): Omit<Decl.Fabric, "connections">;
}

interface Checked {
  readonly model?: Model;
  readonly diagnostics: readonly Diagnostic[];
  readonly files: ReadonlyMap<string, string>;
  /** By fabric name. */
  readonly configs: ReadonlyMap<string, FabricConfig>;
}

/** A declared CDK value lives where the constructs are: relative paths start at the app's working directory. */
const cdkBaseDir = ".";

const registries = new WeakMap<TerraformStack, StackDeclarations>();

export class StackDeclarations {
  static of(scope: IConstruct): StackDeclarations {
    const stack = TerraformStack.of(scope);
    let found = registries.get(stack);
    if (!found) {
      found = new StackDeclarations(stack);
      registries.set(stack, found);
    }
    return found;
  }

  private readonly teams: DeclaredTeam[] = [];
  /** Each fabric and its connections, in declaration order. */
  private readonly fabrics = new Map<DeclaredFabric, DeclaredConnection[]>();
  private checked?: Checked;
  private nullProvider = false;
  private terraform?: Decl.Terraform;

  private constructor(readonly stack: TerraformStack) {
    const inner: IStackSynthesizer = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        // Checked first, so that a stack without connections (and so without lazy fingerprints) fails too.
        this.model();
        this.annotateWarnings();
        inner.synthesize(session);
        this.writeFabricConfigs(session);
      },
    };
  }

  addTeam(team: DeclaredTeam): void {
    this.teams.push(team);
    this.checked = undefined;
  }

  addFabric(fabric: DeclaredFabric): void {
    this.fabrics.set(fabric, []);
    this.checked = undefined;
  }

  addConnection(fabric: DeclaredFabric, connection: DeclaredConnection): void {
    const connections = this.fabrics.get(fabric);
    if (!connections) throw new Error(`${fabric.node.path} is not a fabric of stack ${this.stack.node.path}`);
    connections.push(connection);
    this.checked = undefined;
  }

  /** The stack's Terraform settings (FabricateStack's props), checked with the declarations as YAML's `terraform:` is. */
  setTerraformSettings(terraform: Decl.Terraform): void {
    this.terraform = terraform;
    this.checked = undefined;
  }

  /** True the first time it is asked in this stack: the caller then adds the null provider. */
  claimNullProvider(): boolean {
    const first = !this.nullProvider;
    this.nullProvider = true;
    return first;
  }

  /** The declarations as one document, and the way from a place in it back to its construct. */
  private source(): ConfigSource {
    const fabrics = [...this.fabrics];
    const data: Decl.FabricateConfigFile = {
      version: 1,
      teams: this.teams.map((t) => t.teamDeclaration()),
      fabrics: fabrics.map(([fabric, connections]) => ({ ...fabric.fabricDeclaration(), connections: connections.map((c) => c.connectionDeclaration()) })),
      ...(this.terraform && { terraform: this.terraform }),
    };
    const locate = (path: DocPath): Location => {
      const [kind, i, sub, j] = path;
      if (kind === "teams" && typeof i === "number" && this.teams[i]) return { file: this.teams[i].node.path, path: path.slice(2) };
      const [fabric, connections] = (kind === "fabrics" && typeof i === "number" && fabrics[i]) || [];
      if (!fabric) return { file: this.stack.node.path };
      const connection = sub === "connections" && typeof j === "number" ? connections?.[j] : undefined;
      return connection ? { file: connection.node.path, path: path.slice(4) } : { file: fabric.node.path, path: path.slice(2) };
    };
    // An origin keeps the document path, which buildModel hands back to locate for diagnostics.
    return { data, baseDir: cdkBaseDir, locate, origin: (path) => ({ file: locate(path).file, path }) };
  }

  /** The checked Model and what synthesis writes, computed once until another construct is added. */
  check(): Checked {
    this.checked ??= this.runChecks();
    return this.checked;
  }

  /** Throws FabricateConfigError when the declarations fail the checks. */
  model(): Model {
    const { model, diagnostics } = this.check();
    if (!model || hasErrors(diagnostics)) throw new FabricateConfigError(diagnostics);
    return model;
  }

  /** A connection's Terraform resource, as the YAML path computes it from the same Model. */
  verifyResource(settings: VerifySettings, fabric: string, connection: string): VerifyResource {
    const model = this.model();
    const config = this.check().configs.get(fabric);
    const found = config?.connections.find((c) => c.name === connection);
    if (!config || !found) throw new Error(`no connection ${fabric}/${connection} in stack ${this.stack.node.path}`);
    return verifyResource(settings, model.terraform?.verify, config, found);
  }

  private runChecks(): Checked {
    const checked = checkSources([this.source()]);
    if (!checked.model) return { diagnostics: checked.diagnostics, files: new Map(), configs: new Map() };
    const model = checked.model;
    const configs = synthFabrics(model);
    const { files, diagnostics } = fabricConfigFiles(model, configs);
    const all = [...checked.diagnostics, ...diagnostics, ...verifyResourceNameClashes(model)];
    return { model, diagnostics: all, files, configs: new Map(configs.map((c) => [c.name, c])) };
  }

  /** Warnings become cdktf annotations on their constructs, where cdktf reports them. */
  private annotateWarnings(): void {
    const declared: IConstruct[] = [...this.teams, ...[...this.fabrics].flatMap(([fabric, connections]) => [fabric, ...connections])];
    const byPath = new Map(declared.map((c) => [c.node.path, c]));
    for (const d of this.check().diagnostics) {
      if (d.severity === "warning") Annotations.of((d.file !== undefined && byPath.get(d.file)) || this.stack).addWarning(d.summary);
    }
  }

  private writeFabricConfigs(session: ISynthesisSession): void {
    const stackManifest = session.manifest.forStack(this.stack);
    const terraformJson = readFileSync(join(session.outdir, stackManifest.synthesizedStackPath), "utf8");
    writeFilesInto(join(session.outdir, stackManifest.workingDirectory), this.check().files, new Map([[basename(stackManifest.synthesizedStackPath), terraformJson]]));
  }
}
