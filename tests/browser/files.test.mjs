// A built site whose articles show images and link to files beside them,
// in other folders and by root-absolute paths, opened in Chromium the two
// ways a clinic publishes a site that Pamphlet promises work: from a
// sub-folder of a web server (not its root) and straight from the file
// system. Not one request may fail, and every image must be drawn.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { serveFolder, pagesOf, launchChromium } from "./serve-folder.mjs";

const SITE = process.env.PAMPHLET_SITE;
if (!SITE) throw new Error("PAMPHLET_SITE must name a built site (tests/browser.rs sets it)");
// The folder the host serves, which holds the site one level down.
const HOST_ROOT = join(SITE, "..");
const SUB_FOLDER = "/" + relative(HOST_ROOT, SITE).split(sep).join("/");

let browser;
let served;
let pages = [];

before(async () => {
  browser = await launchChromium();
  served = await serveFolder(HOST_ROOT);
  // The 404 page is served at any address, so it links from the host's root.
  pages = (await pagesOf(SITE)).filter((page) => page !== "/404.html");
});

after(async () => {
  await browser?.close();
  await served?.close();
});

/// Opens `url` and reports every request that failed or was answered with
/// an error, and every image that was not drawn.
async function problemsOpening(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("requestfailed", (request) => problems.push(`${request.url()} failed: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.url()} answered ${response.status()}`);
  });
  await page.goto(url, { waitUntil: "load" });
  // Lazy images below the fold load only when scrolled to.
  await page.evaluate(() => Promise.all([...document.images].map((image) => {
    image.loading = "eager";
    return image.decode().catch(() => {});
  })));
  const undrawn = await page.evaluate(() =>
    [...document.images].filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.getAttribute("src")));
  problems.push(...undrawn.map((src) => `the image ${src} was not drawn`));
  await page.close();
  return problems;
}

test("there are pages with images and files to open", () => {
  assert.ok(pages.some((page) => page.startsWith("/articles/")), pages.join(", "));
});

test("from a sub-folder of a web server, nothing fails and every image is drawn", async () => {
  const seen = [];
  for (const path of pages) {
    const problems = await problemsOpening(`${served.origin}${SUB_FOLDER}${path}`);
    seen.push(...problems.map((problem) => `${path}: ${problem}`));
  }
  assert.deepEqual(seen, []);
});

test("from the file system, nothing fails and every image is drawn", async () => {
  const seen = [];
  for (const path of pages) {
    const problems = await problemsOpening(pathToFileURL(join(SITE, path)).href);
    seen.push(...problems.map((problem) => `${path}: ${problem}`));
  }
  assert.deepEqual(seen, []);
});

test("every link to a page or file of the site leads to it from the sub-folder", async () => {
  const page = await browser.newPage();
  const broken = [];
  for (const path of pages) {
    await page.goto(`${served.origin}${SUB_FOLDER}${path}`);
    const targets = await page.evaluate(() =>
      [...document.querySelectorAll("main a[href]")].map((a) => a.href).filter((href) => href.startsWith(location.origin)));
    for (const target of targets) {
      const status = await page.evaluate(async (href) => (await fetch(href)).status, target);
      if (status !== 200) broken.push(`${path}: ${target} answered ${status}`);
    }
  }
  await page.close();
  assert.deepEqual(broken, []);
});
