// The URL of an HTTP API that receives a credential (Prophecy's token, Vault's): https, or plain http
// only on a loopback address, where nothing crosses a network. No user, query or fragment: a token
// travels in a header, never in the URL, and a URL is printed in messages.
import { isIP } from "node:net";

/** 127.0.0.0/8 and ::1, as written in a URL's host (brackets included or not); never a name such as localhost. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  // The URL parser writes every spelling of ::1 (0:0:0:0:0:0:0:1, ::0001…) as [::1].
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname === "[::1]";
  return false;
}

/** The URL without a trailing slash, or why it cannot carry a credential. */
export function parseHttpsEndpoint(text: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: "is not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { error: "must start with https://" };
  if (url.username !== "" || url.password !== "") return { error: "must not hold a user or password: the token is a secret reference" };
  if (url.search !== "" || url.hash !== "") return { error: "must not have a query or fragment" };
  if (url.protocol === "http:" && !isLoopbackAddress(url.hostname)) {
    return { error: "must use https:// (plain http is allowed only on a loopback address such as 127.0.0.1, where nothing crosses a network)" };
  }
  return { url: url.href.replace(/\/+$/, "") };
}
