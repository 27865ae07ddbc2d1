import { dirname } from "node:path";
import { AssetHashType, DockerImage } from "aws-cdk-lib";
import { Code } from "aws-cdk-lib/aws-lambda";
import { type BuildOptions, buildSync, type Metafile } from "esbuild";

/*
 * ESM output has no `require`; a few CJS dependencies call it, so the banner recreates it (in every chunk:
 * each is a module of its own). Names are prefixed so they cannot clash with identifiers in the minified code.
 */
const requireBanner =
  "import { createRequire as __patronCreateRequire } from 'node:module';" +
  "const require = __patronCreateRequire(import.meta.url);";

/**
 * How every Patron function is bundled, by the construct at synth and by the cold-start bench alike: one
 * minified ESM bundle a function with the SDK inside (the runtime's own copy is unbundled, so importing it
 * costs more CPU at cold start, and its version would not be the lock file's), split at dynamic imports.
 * Splitting is what keeps a cold start to the code the first call runs: the SDK's credential chain imports
 * its SSO, STS and profile providers only when the environment holds no keys (a Lambda always does), and
 * the HTTP API's route groups load on their first request; without it esbuild inlines all of them into
 * index.mjs, which Node must then compile (scripts/bench/cold-start.ts measures both).
 */
export function patronEsbuildOptions(options: { entry: string; outdir: string }): BuildOptions {
  return {
    entryPoints: { index: options.entry },
    outdir: options.outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    mainFields: ["module", "main"],
    banner: { js: requireBanner },
    minify: true,
    // The maps stay in the asset so a stack trace can be symbolicated offline; the function does not load
    // them (NODE_OPTIONS=--enable-source-maps would cost CPU on every cold start and on every error).
    sourcemap: "linked",
    sourcesContent: false,
    logLevel: "warning",
  };
}

/**
 * A function's code: bundled at synth by the local esbuild (never Docker: the image is a placeholder CDK
 * requires and never runs), staged under the hash of the output, so an unchanged bundle is not uploaded again.
 */
export function patronFunctionCode(entry: string): Code {
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry("patron/function-build-runs-locally"),
      // Never run; it names the entry so that CDK's in-app bundling cache (keyed by these options, not by
      // tryBundle) tells apart two functions whose entries share a folder.
      command: ["esbuild", entry],
      local: {
        tryBundle(outputDir) {
          buildSync(patronEsbuildOptions({ entry, outdir: outputDir }));
          return true;
        },
      },
    },
  });
}

/** The output files a cold start loads: index.mjs and every chunk it imports statically, transitively. */
export function coldStartOutputs(metafile: Metafile): string[] {
  const outputs = metafile.outputs;
  const loaded = new Set<string>();
  const pending = Object.keys(outputs).filter((path) => path.endsWith("/index.mjs"));
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (loaded.has(path)) continue;
    loaded.add(path);
    for (const edge of outputs[path]?.imports ?? []) {
      if (edge.kind === "import-statement" && outputs[edge.path]) pending.push(edge.path);
    }
  }
  return [...loaded];
}
