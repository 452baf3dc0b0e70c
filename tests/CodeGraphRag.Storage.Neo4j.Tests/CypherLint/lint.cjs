// Lints the statements in the JSON file given as argument ({"name": "cypher", ...}) with Neo4j's Cypher parser and
// semantic analysis. Parameters are supplied at run time, so "not defined" parameter errors are expected and ignored;
// every other error fails. Prints one line per statement and exits non-zero when any statement has an error.
const fs = require("fs");
const { lintCypherQuery } = require("@neo4j-cypher/language-support");

const statements = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failed = 0;
for (const [name, text] of Object.entries(statements)) {
  const errors = lintCypherQuery(text, {}, true).diagnostics
    .filter(d => d.severity === 1 && !/^Parameter \$\w+ is not defined/.test(d.message));
  if (errors.length === 0) {
    console.log(`ok ${name}`);
    continue;
  }
  failed++;
  for (const e of errors) {
    const at = e.offsets ? e.offsets.start : 0;
    console.log(`error ${name}: ${e.message} at ${at}: ...${text.slice(Math.max(0, at - 80), at + 80)}...`);
  }
}
process.exit(failed === 0 ? 0 : 1);
