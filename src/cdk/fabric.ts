// The Fabric construct: an execution environment that belongs to one team and holds connections
// (SmtpConnection constructs below it). Declares the same data as a YAML `fabrics:` entry.
import { Construct, type IConstruct } from "constructs";
import type * as Decl from "../generated/Fabricate.js";
import type { FabricProvider, SecretProviderName } from "../model.js";
import { StackDeclarations, type DeclaredFabric } from "./stackDeclarations.js";
import type { Team } from "./team.js";

const fabricSymbol = Symbol.for("fabricate/cdk.Fabric");

/** The fabric's default secret provider and each provider's settings (as `secrets:` in YAML). */
export interface SecretsSettingsProps {
  /**
   * The provider of references that name none.
   * @default "env"
   */
  readonly provider?: SecretProviderName;
  /**
   * The file provider: one file per secret in `directory` (relative to the app's working directory, or absolute).
   * @default no file provider settings
   */
  readonly file?: { readonly directory?: string };
  /**
   * The exec provider: a command (no shell) that prints the secret; `timeout` such as "10s".
   * @default no exec provider
   */
  readonly exec?: { readonly command: readonly [string, ...string[]]; readonly timeout?: string };
  /**
   * The vault provider: a HashiCorp Vault KV v2 server; the token comes from VAULT_TOKEN.
   * @default no vault provider
   */
  readonly vault?: { readonly address: string; readonly mount?: string };
}

export interface FabricProps {
  /** The team that owns the fabric: a Team construct or a team's name. */
  readonly team: Team | string;
  /**
   * The fabric's name: a slug, unique among fabrics; synth writes `<name>.json`.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * What the fabric is for.
   * @default no description
   */
  readonly description?: string;
  /**
   * Where the fabric's pipelines run.
   * @default none named
   */
  readonly provider?: FabricProvider;
  /**
   * The fabric's default secret provider and its settings.
   * @default the env provider
   */
  readonly secrets?: SecretsSettingsProps;
  /**
   * Host patterns (`smtp.gmail.com`, `*.amazonaws.com`) to which this fabric's secrets may be sent.
   * @default no trusted hosts
   */
  readonly trustedHosts?: readonly string[];
}

export class Fabric extends Construct implements DeclaredFabric {
  /** By symbol rather than instanceof, so that it holds across copies of this module. */
  static isFabric(x: unknown): x is Fabric {
    return x !== null && typeof x === "object" && fabricSymbol in x;
  }

  /** The Fabric that `construct` is declared in (itself, if it is one). */
  static of(construct: IConstruct): Fabric {
    const found = construct.node.scopes.reverse().find(Fabric.isFabric);
    if (!found) throw new Error(`${construct.node.path} is not inside a Fabric: declare connections with a Fabric as their scope`);
    return found;
  }

  readonly name: string;

  constructor(scope: Construct, id: string, private readonly props: FabricProps) {
    super(scope, id);
    Object.defineProperty(this, fabricSymbol, { value: true });
    this.name = props.name ?? id;
    StackDeclarations.of(this).addFabric(this);
  }

  fabricDeclaration(): Omit<Decl.Fabric, "connections"> {
    const p = this.props;
    return {
      name: this.name,
      team: typeof p.team === "string" ? p.team : p.team.name,
      ...(p.description !== undefined && { description: p.description }),
      ...(p.provider !== undefined && { provider: p.provider }),
      ...(p.secrets !== undefined && { secrets: secretsDeclaration(p.secrets) }),
      ...(p.trustedHosts !== undefined && { trustedHosts: [...p.trustedHosts] }),
    };
  }
}

function secretsDeclaration(s: SecretsSettingsProps): Decl.SecretProviderSettings {
  return {
    ...(s.provider !== undefined && { provider: s.provider }),
    ...(s.file !== undefined && { file: { ...(s.file.directory !== undefined && { directory: s.file.directory }) } }),
    ...(s.exec !== undefined && { exec: { command: [...s.exec.command], ...(s.exec.timeout !== undefined && { timeout: s.exec.timeout }) } }),
    ...(s.vault !== undefined && { vault: { address: s.vault.address, ...(s.vault.mount !== undefined && { mount: s.vault.mount }) } }),
  };
}
