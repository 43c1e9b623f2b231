// Run by functions-lifecycle.test.ts in a separate Node process: start a
// functions service over the given folder, print the Deno host's pid, then
// wait to be killed (SIGKILL: no chance to clean up).
import path from 'node:path';
import { loadStackConfig } from '../../../../stack/config.ts';
import { createFunctionsService } from '../../../../stack/gateway/functions/index.ts';
import { identify } from '../../../../stack/gateway/server.ts';
import { projectKeys } from '../../../../stack/jwt.ts';

const functionsDir = process.argv[2]!;
const config = loadStackConfig();
const service = await createFunctionsService(
  { config, keys: await projectKeys(config.jwtSecret), identify: (a) => identify(a, config.jwtSecret), publicUrl: 'http://127.0.0.1:9' },
  { functionsDir, configFile: path.join(functionsDir, 'config.toml'), watch: false, log: () => {} },
);
console.log(JSON.stringify({ pid: service.host?.pid }));
setInterval(() => {}, 60_000);
