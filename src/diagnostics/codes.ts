// The registry of diagnostic codes: every code a fabricate command can emit, with one line on what it
// means. A code is the stable name of a kind of problem, for scripts and CI (validate's json output, the
// title of a GitHub annotation); the message beside it is for people and may change.
//
// Meanings are Markdown (inline code for literal values): people read the registry as the table in
// docs/cli.md, which scripts/diagnostic-codes.mjs writes from it. test/diagnostics/codes.test.ts reads
// src/ and fails on a code emitted but not listed here, on one listed here but emitted nowhere, and on a
// table in docs/cli.md that differs from this registry.

/** What each verify failure class means (src/smtp/verifyResult.ts), for the verify.* and send.* codes. */
const failureClasses = {
  dns: "the server's host name does not resolve",
  refused: "nothing accepts connections on the server's host and port, or it cannot be reached",
  timeout: "the SMTP session did not finish in time; the message names the stage that stalled",
  tls: "TLS failed: an untrusted certificate, a certificate for another name, or a failed handshake",
  "starttls-unavailable": "the server does not offer STARTTLS, or refuses it; the password was not sent",
  "auth-unsupported": "the server offers neither AUTH PLAIN nor LOGIN; nothing was sent",
  "auth-failed": "the server refused the credentials (a wrong user and a wrong password look alike)",
  rejected: "the server turned the connection away (a 4xx or 5xx greeting)",
  secret: "the password's reference cannot be resolved here",
  untrusted: "the trust rules refuse to send this secret to this destination; nothing was opened",
  protocol: "the server did something else unexpected (closed the connection, answered out of turn)",
} as const;

function failureFamily(prefix: string, context: string): Record<string, string> {
  return Object.fromEntries(Object.entries(failureClasses).map(([name, meaning]) => [`${prefix}.${name}`, `${context}: ${meaning}`]));
}

export const diagnosticCodes: Readonly<Record<string, string>> = {
  // Reading config files.
  "file.not-found": "a config path, or the target of a symbolic link among them, does not exist",
  "file.not-regular": "a config file is a FIFO, a device or a socket: refused without reading it",
  "file.too-large": "a config file (or validate's standard input) is larger than 5 MiB",
  "file.unreadable": "a config file or directory cannot be read (permissions, an I/O error, or a read that did not finish)",
  "file.link-outside": "a symbolic link leads outside the directory that holds it: not followed",
  "file.no-config": "a directory given as config holds no `*.yaml` or `*.yml` file",
  "file.binary": "a config file holds a NUL byte: a binary file, not YAML",
  "file.encoding": "a config file is not valid UTF-8",
  "file.empty": "a config file is empty, or holds no YAML document",

  // Parsing YAML. The codes yaml.<name> with underscores are the yaml library's own error codes, lower-cased.
  "yaml.too-deep": "nesting is deeper than 64 levels",
  "yaml.alias-limit": "aliases expand more than 100 times (an alias bomb)",
  "yaml.unresolved-alias": "an alias refers to an anchor that is not defined before it",
  "yaml.recursive-alias": "an alias refers to a collection that contains it, which would make the data a cycle",
  "yaml.merge-source": "a merge key (`<<`, YAML 1.1) is given something other than a map or a list of maps",
  "yaml.alias_props": "an alias carries an anchor or a tag",
  "yaml.bad_alias": "an anchor or alias name is not valid",
  "yaml.bad_collection_type": "a tag does not fit the collection it is on",
  "yaml.bad_directive": "a `%YAML` or `%TAG` directive is not valid",
  "yaml.bad_dq_escape": "a double-quoted string holds an invalid escape sequence",
  "yaml.bad_indent": "the indentation is wrong",
  "yaml.bad_prop_order": "an anchor or a tag comes before the indicator it belongs to",
  "yaml.bad_scalar_start": "a plain value starts with a reserved character (quote it)",
  "yaml.block_as_implicit_key": "a block collection stands as an implicit key",
  "yaml.block_in_flow": "a block collection stands inside a flow collection (`[…]` or `{…}`)",
  "yaml.duplicate_key": "a map sets the same key twice",
  "yaml.impossible": "the YAML parser met a structure it cannot handle",
  "yaml.key_over_1024_chars": "an implicit key is longer than 1024 characters",
  "yaml.missing_char": "a character is missing (a comma, a colon, a space, or a closing quote or bracket)",
  "yaml.multiline_implicit_key": "an implicit key spans several lines",
  "yaml.multiple_anchors": "a node has more than one anchor",
  "yaml.multiple_docs": "a file holds more than one document where one is expected",
  "yaml.multiple_tags": "a node has more than one tag",
  "yaml.non_string_key": "a map key is not a string",
  "yaml.tab_as_indent": "a tab is used as indentation",
  "yaml.tag_resolve_failed": "a tag cannot be resolved (a config uses no tags)",
  "yaml.unexpected_token": "text that YAML does not allow at this place",

  // The JSON Schema (schemas/fabricate.schema.json).
  "schema.unknown-field": "a field the schema does not declare (with a did-you-mean when one is close)",
  "schema.missing-field": "a required field is missing",
  "schema.type": "a value of the wrong type (a string where a list is expected, …)",
  "schema.const": "a field that takes exactly one value has another (`version: 1`, `isDefaultWarehouseConnection: false`)",
  "schema.enum": "a value that is not one of the field's choices (`tls`, `provider`, …)",
  "schema.pattern": "a value that does not have the field's form (a name that is not a slug, an address, a duration, …)",
  "schema.range": "a number outside its range (`port`: 1 to 65535)",
  "schema.duplicate-item": "a list names the same value twice (`members`, `reviewers`, `trustedHosts`)",
  "schema.length": "an empty string, a string that is too long, or a list with too few items",
  "schema.propertyNames": "a key of `prophecy.teams` is not a Prophecy team id (reported beside a `schema.pattern` error on the same key)",

  // Semantic checks of the config (src/config/buildModel.ts and the schema's special cases).
  "config.plaintext-password": "a password is written as a string: it must be a secret reference",
  "config.auth-unsupported": "`auth` names a mechanism other than `basic` (AUTH PLAIN or LOGIN)",
  "config.type-unsupported": "a connection `type` other than `smtp`",
  "config.duplicate-team": "two teams have the same name (the message points at both)",
  "config.duplicate-fabric": "two fabrics have the same name (the message points at both)",
  "config.duplicate-connection": "two connections of one fabric have the same name",
  "config.unknown-team": "a fabric names a team that no file declares",
  "config.reserved-name": "a fabric named `manifest`: synth writes `manifest.json` beside the fabrics' files",
  "config.url": "a connection's `url` is not a host name, an IP address, or `smtp://` or `smtps://host[:port]`",
  "config.control-character": "a connection's `url` or `username` holds a control character (CR, LF, NUL…)",
  "config.port-mismatch": "`port` disagrees with the port in the `url`",
  "config.tls-mismatch": "an `smtps://` url with a `tls` other than `implicit`",
  "config.tls-none": "`tls: none` without `insecure: true`",
  "config.tls-port": "warning: `tls: starttls` on port 465, or `tls: implicit` on port 587 or 25",
  "config.ca-file": "a `caFile` does not exist, cannot be read, or holds no PEM certificate",
  "config.secret-name": "a secret name holds a `..` path segment",
  "config.secret-provider-settings": "an `exec` or `vault` reference whose settings lack `secrets.exec.command` or `secrets.vault.address`",
  "config.secret-from": "`from` on a reference other than a connection's `prophecy` reference (the Prophecy token takes none)",
  "config.duration": "a duration longer than 24h",
  "config.trusted-host": "a `trustedHosts` entry that is not a host, a host and port, or `*.` and a domain",
  "config.trusted-host-shared": "warning: a `trustedHosts` wildcard over a shared cloud domain such as `*.amazonaws.com`",
  "config.prophecy-url": "`prophecy.url` is not `https://` (`http://` only on a loopback address), or holds a user, query or fragment",
  "config.prophecy-token": "`prophecy.token` is a `databricks` or `prophecy` reference, which fabricate cannot resolve",
  "config.prophecy-twice": "two files declare `prophecy` blocks that differ",
  "config.terraform-twice": "two files declare `terraform` blocks that differ",

  // synth, and the synthesized files verify --synthesized reads.
  "synth.out-dir": "`--out` names a directory synth will not replace (not written by synth, the current directory or above, a link, a file), or a file in it synth did not write",
  "synth.write": "the output directory cannot be written",
  "synth.reserved-name": "a fabric is named `manifest`, which would clash with synth's `manifest.json`",
  "synth.resource-name": "two connections would get the same Terraform resource name (`<fabric>__<connection>`)",
  "synthesized.manifest": "`manifest.json` is missing, unreadable, not a synth manifest, or lists a path that is not a plain file name",
  "synthesized.read": "a file the manifest lists cannot be read",
  "synthesized.changed": "a file's size or sha256 differs from the manifest: it changed after synth",
  "synthesized.json": "a listed fabric config is not valid JSON",
  "synthesized.schema": "a listed file is not a fabric config (`schemas/fabric-config.schema.json`)",
  "synthesized.name": "a fabric config holds a fabric other than the one its file is named after",

  // plan, show, apply and import.
  "plan.write": "`plan --out` cannot write the plan file",
  "plan.read": "`show` cannot use the plan file: unreadable, not JSON, or not a saved plan",
  apply: "apply refused or stopped: a saved plan that no longer applies, the changed connections failed verification, Prophecy cannot be read, a step failed",
  "apply.cancelled": "apply asked for confirmation and the answer was not yes; nothing changed",
  "apply.rotate": "`apply --rotate-secrets` could not upload some secrets again",
  import: "`import` refused or failed (its flags included); nothing was written or recorded",
  ...failureFamily("verify", "apply's verification of a new or changed connection failed"),

  // verify and send on the command line.
  "verify.state": "`verify --state` without config paths, and nothing is applied in that state",
  "verify.selection": "`--fabric` or `--connection` names nothing among the connections to verify",
  ...failureFamily("send", "send failed"),
  "send.not-allowed": "send refused before connecting: not a team member, a `--from` other than the user, a connection not applied, no `--to` or body, an unreadable attachment",

  // Pushing to Prophecy.
  "prophecy.no-block": "warning: the state records fabrics pushed to Prophecy, and the config has no `prophecy` block: this run changes the state only",
  "prophecy.refresh": "plan cannot read what Prophecy holds; nothing was planned",
  "prophecy.fabric-provider": "a fabric has no `provider`, which Prophecy needs to create it",
  "prophecy.secret-provider": "with a `prophecy` block, a password that is not a `prophecy` reference",
  "prophecy.secret-missing": "Prophecy holds no such secret in the fabric, and the reference has no `from` to create it",

  // The CODEOWNERS block.
  "codeowners.file-name": "a config file's name holds a character CODEOWNERS would read as a pattern",
  "codeowners.shared-file": "warning: a config file declares teams whose reviewers differ: split it",
  "codeowners.missing": "`codeowners --check` names a file that does not exist",
  "codeowners.unreadable": "the CODEOWNERS file cannot be read",
  "codeowners.no-block": "the CODEOWNERS file has no fabricate block",
  "codeowners.malformed-block": "the fabricate block's markers are missing, repeated or out of order",
  "codeowners.out-of-date": "the fabricate block differs from the lines the config gives",
  "codeowners.write": "`codeowners --write` cannot write the file",

  // Anywhere.
  state: "the state store refused or failed: a held lock, a state that is not valid, a write that lost its lock or its race, a PostgreSQL problem",
  usage: "a flag's value or a combination of flags is wrong (commander's own errors, such as an unknown flag, carry no code)",
};
