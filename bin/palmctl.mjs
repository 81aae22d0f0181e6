#!/usr/bin/env node
// palmctl: the palm scanner CLI for field technicians. Plain `node` runs it on a fresh `npm ci`:
// tsx (a runtime dependency) is registered here, then the TypeScript entry point is imported.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./palmctl/main.ts');
process.exitCode = await main(process.argv.slice(2));
