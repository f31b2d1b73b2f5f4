#!/usr/bin/env node
// Entry point of the `nichepress` command. Plain JavaScript on purpose: it must be able to tell
// a user on an old Node that nichepress needs the pinned Node 24 (which `npm ci` installs into
// node_modules/.bin, so `npx nichepress` and `npm start` use it), instead of crashing on syntax.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `nichepress needs Node 22.18 or newer (this is ${process.version}).\n` +
      'Run it through npm (npm start, npx nichepress …): npm ci installs the pinned Node 24 into node_modules/.bin.',
  );
  process.exit(2);
}

// Node keeps the compiled code of our modules (TypeScript already stripped) in its compile cache
// between runs, checked against each file's contents: a scheduled run starts in about half the
// time. Where the cache cannot be written, Node goes on without it.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

const { main } = await import('./cli.ts');
const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  stdin: process.stdin,
  stdinIsTTY: Boolean(process.stdin.isTTY),
});
process.exitCode = code;
