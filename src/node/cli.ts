#!/usr/bin/env node
/**
 * The `yieldio` command (package.json `bin`): `yieldio ps <pid>`, `yieldio pstree <pid>`.
 * @asyncio `python -m asyncio ps` / `pstree` (3.14)
 * @module
 */
import { cli } from './ps.ts';

process.exitCode = cli(process.argv.slice(2));
