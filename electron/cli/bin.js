#!/usr/bin/env node
// The `auditscope` command. Runs the built CLI (npm run build) when present, else the TypeScript
// source directly (Node ≥ 22.18 strips types natively).
import { existsSync } from 'node:fs';

const built = new URL('../../out/main/cli.js', import.meta.url);
const { main } = await import(existsSync(built) ? built.href : new URL('./main.ts', import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
