// The SmtpConnection construct: lets a fabric's Email step send mail through a mail server. Declares
// the same data as a YAML connection, and adds the Terraform resource that verifies it when it changes.
import { Construct } from "constructs";
import type * as Decl from "../generated/Fabricate.js";
import type { TlsMode } from "../model.js";
import { Fabric } from "./fabric.js";
import { FabricateStack } from "./fabricateStack.js";
import type { SecretReference } from "./secretRef.js";
import { StackDeclarations, type DeclaredConnection } from "./stackDeclarations.js";
import { verifyResourceId } from "../terraform/verifyResource.js";
import { addNullProvider, ConnectionVerifyResource } from "./verifyResource.js";

const smtpConnectionSymbol = Symbol.for("fabricate/cdk.SmtpConnection");

export interface SmtpConnectionProps {
  /** The SMTP server: a host name or IP, or smtp://host[:port] or smtps://host[:port]. */
  readonly url: string;
  /** The SMTP user, and the sender (From) of every mail sent through this connection. */
  readonly username: string;
  /** Where the password lives, such as `SecretRef.env("SMTP_PASSWORD")`: never the password itself. */
  readonly password: SecretReference;
  /**
   * The connection's name: a slug, unique within its fabric; a rename is a replacement.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * 1-65535.
   * @default the url's port, else 465 for implicit TLS, else 587
   */
  readonly port?: number;
  /**
   * starttls, implicit, or none (only with `insecure: true`: the password travels in clear).
   * @default "implicit" on port 465 and for smtps://, else "starttls"
   */
  readonly tls?: TlsMode;
  /**
   * A PEM file of a private CA to trust for this server (relative to the app's working directory, or absolute).
   * @default the system's trusted CAs
   */
  readonly caFile?: string;
  /**
   * The only way to allow `tls: "none"`, which sends the password in clear.
   * @default false
   */
  readonly insecure?: boolean;
}

export class SmtpConnection extends Construct implements DeclaredConnection {
  /** By symbol rather than instanceof, so that it holds across copies of this module. */
  static isSmtpConnection(x: unknown): x is SmtpConnection {
    return x !== null && typeof x === "object" && smtpConnectionSymbol in x;
  }

  readonly name: string;
  readonly fabric: Fabric;

  constructor(scope: Construct, id: string, private readonly props: SmtpConnectionProps) {
    super(scope, id);
    Object.defineProperty(this, smtpConnectionSymbol, { value: true });
    this.name = props.name ?? id;
    this.fabric = Fabric.of(this);
    const declarations = StackDeclarations.of(this);
    declarations.addConnection(this.fabric, this);
    const settings = FabricateStack.verifySettingsOf(this);
    if (settings.verifyResource === "null_resource" && declarations.claimNullProvider()) addNullProvider(declarations.stack);
    const fabric = this.fabric.name;
    new ConnectionVerifyResource(this, "verify", settings.verifyResource, verifyResourceId(fabric, this.name), () => declarations.verifyResource(settings, fabric, this.name));
  }

  connectionDeclaration(): Decl.Connection {
    const p = this.props;
    return {
      name: this.name,
      type: "smtp",
      url: p.url,
      ...(p.port !== undefined && { port: p.port }),
      ...(p.tls !== undefined && { tls: p.tls }),
      username: p.username,
      // A copy of the reference; anything else (a plaintext password from plain JavaScript) goes to the
      // schema check as it is, which refuses it without ever quoting it.
      password: typeof p.password === "object" && p.password !== null ? { ...p.password } : p.password,
      ...(p.caFile !== undefined && { caFile: p.caFile }),
      ...(p.insecure !== undefined && { insecure: p.insecure }),
    };
  }
}
