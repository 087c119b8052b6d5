#!/usr/bin/env node
// The carbon-scheduler command. Sources are TypeScript, loaded through tsx.
import {register} from 'tsx/esm/api';

register();
const {main, installProcessSafetyNet} = await import('../cli/main.ts');
installProcessSafetyNet(process.argv);
process.exitCode = await main(process.argv);
