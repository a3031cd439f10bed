#!/usr/bin/env node
// The `tessera` command (package.json "bin"): runs scripts/tessera/cli.ts through tsx.
import { tsImport } from 'tsx/esm/api';

await tsImport('./tessera/cli.ts', import.meta.url);
