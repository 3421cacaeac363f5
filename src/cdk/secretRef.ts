// Secret references for CDK declarations: where a password lives, never the password. They are the
// same data as a YAML `password: { secret, provider, key }`.
import type * as Decl from "../generated/Fabricate.js";

/** A secret reference as a declaration holds it (schemas/fabricate.schema.json#/$defs/secretRef). */
export type SecretReference = Readonly<Decl.SecretReference>;

export class SecretRef {
  /** A secret resolved by the fabric's default provider (`secrets.provider`, else env). */
  static of(secret: string, key?: string): SecretReference {
    return { secret, ...(key !== undefined && { key }) };
  }

  /** An environment variable. */
  static env(name: string): SecretReference {
    return { secret: name, provider: "env" };
  }

  /** A file in the fabric's `secrets.file.directory`, as CI or Kubernetes mount them. */
  static file(name: string): SecretReference {
    return { secret: name, provider: "file" };
  }

  /** The standard output of the fabric's `secrets.exec.command`, with `{secret}` and `{key}` filled in. */
  static exec(secret: string, key?: string): SecretReference {
    return { secret, provider: "exec", ...(key !== undefined && { key }) };
  }

  /** A HashiCorp Vault KV v2 secret at `path`, optionally one field of it. */
  static vault(path: string, key?: string): SecretReference {
    return { secret: path, provider: "vault", ...(key !== undefined && { key }) };
  }

  /** A Databricks secret, resolved only by the fabric's runtime. */
  static databricks(secret: string, key?: string): SecretReference {
    return { secret, provider: "databricks", ...(key !== undefined && { key }) };
  }

  /** A secret in Prophecy's own store, resolved only by the fabric's runtime. */
  static prophecy(secret: string): SecretReference {
    return { secret, provider: "prophecy" };
  }
}
