#!/usr/bin/env node
// The carbon-scheduler command. Sources are TypeScript, loaded through tsx.
import {register} from 'tsx/esm/api';

register();
const {main} = await import('../cli/main.ts');
process.exitCode = await main(process.argv);
