// The live preview in a real browser. tests/browser.rs copies the fixture
// site to a temporary folder and runs this with PAMPHLET_BIN (the pamphlet
// binary) and PAMPHLET_PREVIEW_SITE (the site) set. It edits the site's
// files as an editor would and watches what Debian's Chromium shows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launchChromium } from "./serve-folder.mjs";

const BIN = process.env.PAMPHLET_BIN;
const SITE = process.env.PAMPHLET_PREVIEW_SITE;
if (!BIN || !SITE) throw new Error("PAMPHLET_BIN and PAMPHLET_PREVIEW_SITE must be set (tests/browser.rs sets them)");
const ARTICLE = join(SITE, "content/articles/effects.md");

let server;
let origin;
let browser;

before(async () => {
  server = spawn(BIN, ["serve", "--port", "0", "--as-of", "2026-11-21", "--root", SITE], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  origin = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).on("line", (line) => {
      const url = line.match(/http:\/\/\S+/);
      if (url) resolve(url[0].replace(/\/$/, ""));
    });
    server.on("exit", (code) => reject(new Error(`pamphlet serve exited with ${code}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill("SIGINT");
});

async function openPreview(path) {
  const page = await browser.newPage({ viewport: { width: 390, height: 480 } });
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(String(error)));
  await page.goto(origin + path);
  await page.waitForSelector("html[data-pamphlet-live=connected]");
  return { page, problems };
}

test("an edit reloads the open page, which keeps its place", async () => {
  const { page, problems } = await openPreview("/articles/effects/");
  const scrollable = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  assert.ok(scrollable > 100, `the page must scroll for this test (${scrollable}px)`);
  await page.evaluate(() => window.scrollTo(0, 100));
  const original = await readFile(ARTICLE, "utf8");
  const reloaded = page.waitForEvent("load");
  await writeFile(ARTICLE, original.replace("Most people feel sleepy", "Most people feel drowsy"));
  await reloaded;
  await page.waitForFunction(() => document.body.innerText.includes("Most people feel drowsy"));
  await page.waitForFunction(() => window.scrollY === 100);
  await writeFile(ARTICLE, original);
  await page.waitForFunction(() => document.body.innerText.includes("Most people feel sleepy"));
  assert.deepEqual(problems, [], "no console error and no Content-Security-Policy violation");
  await page.close();
});

test("a refused edit shows every problem over the page until it is fixed", async () => {
  const { page, problems } = await openPreview("/");
  const original = await readFile(ARTICLE, "utf8");
  await writeFile(ARTICLE, original + "\nSee [the missing page](missing.md).\n");
  const overlay = page.locator(".pamphlet-overlay");
  await overlay.waitFor({ state: "visible" });
  const shown = await overlay.innerText();
  const line = original.split("\n").length + 1;
  assert.match(shown, new RegExp(`content/articles/effects\\.md:${line}:5`));
  assert.match(shown, /missing\.md/);
  assert.match(shown, /How to fix it/);
  // The overlay is styled by its own stylesheet (the CSP allows no inline style).
  assert.equal(await overlay.evaluate((element) => getComputedStyle(element).position), "fixed");
  // The line itself is quoted, with the part at fault marked.
  assert.equal(await overlay.locator(".pamphlet-source mark").first().innerText(), "[the missing page](missing.md)");
  // Folded (no script needed: it is a details element), it is a bar at the
  // foot of the screen and the page's title can be read; it opens again.
  await overlay.locator("summary").click();
  const folded = await overlay.boundingBox();
  const viewport = page.viewportSize();
  assert.ok(folded.height < 120 && folded.y > viewport.height / 2, `folded to ${JSON.stringify(folded)}`);
  await overlay.locator("summary").click();
  assert.ok((await overlay.boundingBox()).height > viewport.height / 2, "it opens again");
  await writeFile(ARTICLE, original);
  await overlay.waitFor({ state: "detached" });
  assert.deepEqual(problems, []);
  await page.close();
});
