// Starting the stand-in: HTTPS with a private CA (what a client's caFile setting meets), and options
// that contradict themselves, refused at start rather than answered later.
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathOf, startProphecyStandIn, type ProphecyStandIn } from "../../../src/demo/prophecyStandIn/index.js";
import { fabricBody, standInOptions, startTestStandIn } from "../../helpers/prophecyStandIn.js";
import { makeTestCertificates, type TestCertificates } from "../../helpers/tlsCertificates.js";

let certs: TestCertificates;
let standIn: ProphecyStandIn;

beforeAll(async () => {
  certs = makeTestCertificates();
  standIn = await startTestStandIn({ tls: { cert: certs.server.certPem, key: certs.server.keyPem } });
});

afterAll(async () => {
  await standIn.close();
  certs.cleanup();
});

function post(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(fabricBody());
    const req = request(
      url,
      { method: "POST", headers: { "X-AUTH-TOKEN": "alice-token", "Content-Type": "application/json" }, ...(ca !== undefined && { ca }) },
      (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the stand-in over HTTPS", () => {
  it("serves https://127.0.0.1 with the given certificate, trusted through its CA", async () => {
    expect(standIn.url).toBe(`https://127.0.0.1:${standIn.port}`);
    const answer = await post(`${standIn.url}${pathOf("createFabric")}`, certs.ca.caPem);
    expect(answer).toEqual({ status: 200, body: '{"success":true,"data":{"id":"10000"}}' });
  });

  it("is refused by a client that does not trust the CA", async () => {
    await expect(post(`${standIn.url}${pathOf("createFabric")}`, undefined)).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
  });
});

describe("the stand-in's options", () => {
  it("refuse a token that names a team that does not exist", async () => {
    const tokens = { t: { user: "eve", teams: ["marketing", "ghosts"] } };
    await expect(startProphecyStandIn({ ...standInOptions, tokens })).rejects.toThrow(/user "eve" names team "ghosts", which is not among the teams/);
  });

  it("refuse a team declared twice", async () => {
    const teams = [...standInOptions.teams, { id: "33", name: "marketing" }];
    await expect(startProphecyStandIn({ ...standInOptions, teams })).rejects.toThrow(/team 33=marketing is declared twice/);
  });

  it("refuse an empty token", async () => {
    await expect(startProphecyStandIn({ ...standInOptions, tokens: { "": { user: "eve", teams: [] } } })).rejects.toThrow(/token cannot be empty/);
  });
});
