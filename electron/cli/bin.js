#!/usr/bin/env node
// The `auditscope` command. Runs the built CLI (npm run build) when present, else the TypeScript
// source directly (Node ≥ 22.18 strips types natively). AUDITSCOPE_FROM_SOURCE=1 forces the
// source, so tests of the code as it is never run a stale build.
import { existsSync } from 'node:fs';

const built = new URL('../../out/main/cli.js', import.meta.url);
const useBuilt = existsSync(built) && process.env.AUDITSCOPE_FROM_SOURCE !== '1';
const { main } = await import(useBuilt ? built.href : new URL('./main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
