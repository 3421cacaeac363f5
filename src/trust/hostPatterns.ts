// Host patterns of a fabric's `trustedHosts`: an exact host or `*.` and a domain, optionally with a port
// (`smtp.gmail.com:587`, `[2001:db8::1]:465`). A pattern without a port allows any port of that host, so
// docs/security.md steers users to name one. Hosts compare case-insensitively, without a trailing dot.

export interface HostPattern {
  /** Lower-case, without a trailing dot; `*.domain` keeps its star. */
  readonly host: string;
  readonly port?: number;
}

export function normalizeHost(host: string): string {
  return host.replace(/\.$/, "").toLowerCase();
}

/** `host`, `host:587`, `[v6]`, `[v6]:587`, or a bare IPv6 address (which can carry no port). */
export function parseHostPattern(text: string): HostPattern | { error: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : plain ? [plain[1]!, plain[2]] : text.includes("::") || text.split(":").length > 2 ? [text, undefined] : [undefined, undefined];
  if (host === undefined) return { error: "must be a host, *.domain or an IP address, optionally followed by :port" };
  if (port === undefined) return { host: normalizeHost(host) };
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) return { error: "has a port outside 1-65535" };
  return { host: normalizeHost(host), port: n };
}

/** `smtp.gmail.com` matches itself; `*.example.com` any host below example.com (not itself); a port, only that port. */
export function hostMatches(patternText: string, host: string, port?: number): boolean {
  const pattern = parseHostPattern(patternText);
  if ("error" in pattern) return false;
  if (pattern.port !== undefined && pattern.port !== port) return false;
  const h = normalizeHost(host);
  if (pattern.host.startsWith("*.")) {
    const domain = pattern.host.slice(2);
    return h.endsWith(`.${domain}`) && h.length > domain.length + 1;
  }
  return pattern.host === h;
}

export function formatHostPort(d: { readonly host: string; readonly port: number }): string {
  return d.host.includes(":") ? `[${d.host}]:${d.port}` : `${d.host}:${d.port}`;
}

/**
 * Domains under which anyone can get a host of their own (cloud providers' shared names). A wildcard
 * directly under one of them trusts hosts that a pull request's author can create.
 */
const sharedDomains = [
  "amazonaws.com",
  "compute.amazonaws.com",
  "elasticbeanstalk.com",
  "cloudfront.net",
  "cloudapp.azure.com",
  "cloudapp.net",
  "azurewebsites.net",
  "azurecontainerapps.io",
  "appspot.com",
  "googleusercontent.com",
  "run.app",
  "cloudfunctions.net",
  "herokuapp.com",
  "vercel.app",
  "netlify.app",
  "fly.dev",
  "onrender.com",
  "railway.app",
  "ngrok.io",
  "ngrok-free.app",
  "trycloudflare.com",
  "workers.dev",
  "pages.dev",
  "github.io",
  "digitaloceanspaces.com",
  "ondigitalocean.app",
];

/** The shared domain a wildcard pattern sits under, if it does: customers' hosts can appear at any depth below one. */
export function sharedDomainOf(patternText: string): string | undefined {
  const pattern = parseHostPattern(patternText);
  if ("error" in pattern || !pattern.host.startsWith("*.")) return undefined;
  const domain = pattern.host.slice(2);
  return sharedDomains.find((shared) => domain === shared || domain.endsWith(`.${shared}`));
}
