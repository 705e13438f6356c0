// Builds static/ from node_modules: our compiled CSS and GOV.UK Frontend's JS.
// static/ is generated and ignored by git.
import { compile, NodePackageImporter } from "sass";
import { cpSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
if (!existsSync(govuk)) {
  console.error("govuk-frontend is not installed: run `npm ci` first.");
  process.exit(1);
}

const out = join(root, "static");
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = compile(join(root, "assets", "scss", "application.scss"), {
  importers: [new NodePackageImporter(root)],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "application.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(root, "assets", "js"), join(out, "js"), { recursive: true });
console.log("assets built into static/");
