#!/usr/bin/env node
// The `cosell` binary: registers tsx so the TypeScript sources run directly, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../core/cli/main.ts');
