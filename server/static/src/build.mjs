// Build ../sparql-editor.js (one minified IIFE, no imports at run time) and
// ../sparql-editor.LICENSE.txt (the licence of every package in the bundle).
// Run: cd server/static/src && npm ci && node build.mjs
import { build } from "esbuild";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const result = await build({
  entryPoints: ["editor.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "none",
  metafile: true,
  outfile: "../sparql-editor.js",
  banner: { js: "/* qharmony SPARQL editor: CodeMirror 6 (MIT), built by server/static/src/build.mjs; licences in sparql-editor.LICENSE.txt */" },
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) { packages.set(match[1], join("node_modules", match[1])); }
}
const parts = ["Licences of the packages bundled into sparql-editor.js.\n"];
for (const [name, folder] of [...packages].sort()) {
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const licence = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map((f) => join(folder, f)).find(existsSync);
  parts.push(`==== ${name} ${meta.version} (${meta.license})\n`);
  parts.push(licence ? readFileSync(licence, "utf8").trim() + "\n" : `(no licence file; package.json says ${meta.license})\n`);
}
writeFileSync("../sparql-editor.LICENSE.txt", parts.join("\n"));
console.log(`bundled ${packages.size} packages into ../sparql-editor.js`);
