// Lighthouse's accessibility, best-practices and SEO audits on the pages a
// patient meets first: the home page, a section and an article. Each must
// score 100. tests/it/browser.rs builds the included site and sets
// PAMPHLET_SITE. Lighthouse 12.8 (not 13, which needs Node 22; the machine
// has Node 20) drives Debian's Chromium through chrome-launcher.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { serveFolder } from "./serve-folder.mjs";

const SITE = process.env.PAMPHLET_SITE;
if (!SITE) throw new Error("PAMPHLET_SITE must name a built site (tests/it/browser.rs sets it)");

const PAGES = ["/index.html", "/treatment/index.html", "/treatment/side-effects/index.html"];
const CATEGORIES = ["accessibility", "best-practices", "seo"];

let served;
let chrome;

before(async () => {
  served = await serveFolder(SITE);
  chrome = await chromeLauncher.launch({
    chromePath: "/usr/bin/chromium",
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await chrome?.kill();
  await served?.close();
});

for (const path of PAGES) {
  test(`${path} scores 100 for accessibility, best practices and SEO`, async () => {
    const { lhr } = await lighthouse(served.origin + path, {
      port: chrome.port,
      onlyCategories: CATEGORIES,
      output: "json",
      logLevel: "error",
    });
    assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
    for (const id of CATEGORIES) {
      const category = lhr.categories[id];
      const failing = category.auditRefs
        .filter((ref) => ref.weight > 0)
        .map((ref) => lhr.audits[ref.id])
        .filter((audit) => audit.score !== null && audit.score < 1)
        .map((audit) => `${audit.id}: ${audit.title}`);
      assert.equal(category.score, 1, `${path}: ${id} scores ${Math.round(category.score * 100)}: ${failing.join("; ")}`);
    }
  });
}
