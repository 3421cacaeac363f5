// The GitHub REST API calls the action makes, over Node's own fetch (the action installs nothing to
// post a comment). The token travels only in the Authorization header and only to GITHUB_API_URL:
// pagination follows GitHub's Link header, whose URLs are absolute, so a `next` link to any other
// origin is refused rather than sent the token. Errors name the call and GitHub's message, never the
// token.

export class GithubApiError extends Error {
  /** GitHub's status code, when it answered. */
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** Pages followed at most: 300 pages of 100 are far past any pull request's comments. */
const maxPages = 300;

/** The URL of rel="next" in a Link header, if any. */
function nextLink(header) {
  for (const part of (header ?? "").split(",")) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/.test(match[2])) return match[1];
  }
  return undefined;
}

export function githubApi({ apiUrl, token }) {
  const base = new URL(apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`);

  function within(url) {
    return url.origin === base.origin && url.pathname.startsWith(base.pathname);
  }

  async function send(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Accept: "application/vnd.github+json",
          Authorization: `Bearer ${token}`,
          "X-GitHub-Api-Version": "2022-11-28",
          "User-Agent": "fabricate-action",
          ...(body !== undefined && { "Content-Type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      const cause = e.cause?.code ?? e.name;
      throw new GithubApiError(`cannot reach the GitHub API at ${base.origin}: ${method} ${url.pathname} failed (${cause})`);
    }
    const text = await response.text();
    let json;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const message = typeof json?.message === "string" ? json.message : response.statusText;
      throw new GithubApiError(`GitHub API: ${method} ${url.pathname} answered ${response.status}: ${message}`, response.status);
    }
    return { json, link: response.headers.get("link") };
  }

  /** One call; `path` is below the API URL (no leading slash), as in `repos/o/r/issues/1/comments`. */
  async function request(method, path, body) {
    return (await send(method, new URL(path, base), body)).json;
  }

  /** Every item of a list, page by page as GitHub's Link header leads. */
  async function paginate(path) {
    const items = [];
    let url = new URL(path, base);
    url.searchParams.set("per_page", "100");
    for (let page = 1; ; page++) {
      const { json, link } = await send("GET", url);
      if (!Array.isArray(json)) throw new GithubApiError(`GitHub API: GET ${url.pathname} did not answer a list`);
      items.push(...json);
      const next = nextLink(link);
      if (next === undefined) return items;
      if (page >= maxPages) throw new GithubApiError(`GitHub API: GET ${path} has more than ${maxPages} pages; giving up`);
      url = new URL(next, base);
      if (!within(url)) throw new GithubApiError(`GitHub API: GET ${path} links its next page to ${url.origin}, outside ${base.href}; not sending the token there`);
    }
  }

  return { request, paginate };
}
