// A connection's `url`: a host name, an IP, or smtp://host[:port] / smtps://host[:port].
import { isIP } from "node:net";

export interface ServerAddress {
  readonly host: string;
  readonly port?: number;
  /** smtps:// means implicit TLS. */
  readonly scheme?: "smtp" | "smtps";
}

const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export function isHostName(host: string): boolean {
  if (host.length > 253) return false;
  const labels = (host.endsWith(".") ? host.slice(0, -1) : host).split(".");
  // An all-numeric last label would be a malformed IPv4 address, not a name.
  return labels.every((l) => label.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}

export function parseServerAddress(url: string): ServerAddress | { error: string } {
  const m = /^(smtps?):\/\/(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?\/?$/i.exec(url);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !m) {
    return { error: "must be a host name, an IP address, or smtp://host[:port] or smtps://host[:port] (no path, user or query)" };
  }
  let host = m ? m[2]! : url;
  const bracketed = host.startsWith("[") && host.endsWith("]");
  if (bracketed) host = host.slice(1, -1);
  // isHostName first: it is cheap, and true for nearly every url; it never accepts an IP address.
  const ok = bracketed ? isIP(host) === 6 : isHostName(host) || isIP(host) !== 0;
  if (!ok) return { error: "must be a host name, an IP address, or smtp://host[:port] or smtps://host[:port]" };
  if (!m) return { host };
  const scheme = m[1]!.toLowerCase() as "smtp" | "smtps";
  if (m[3] === undefined) return { host, scheme };
  const port = Number(m[3]);
  if (m[3] === "" || !Number.isInteger(port) || port < 1 || port > 65535) return { error: "has a port outside 1-65535" };
  return { host, scheme, port };
}
