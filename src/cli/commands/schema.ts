import { schemeJsonSchema } from '../../schema/scheme/index.js';
import type { CliCommand } from '../command.js';

/** `recovery-pbr schema`: prints the JSON Schema of scheme files, for authoring schemes in any editor. */
export const command: CliCommand = {
  name: 'schema',
  summary: 'print the JSON Schema of scheme files (for writing your own scheme in any editor)',
  usage: [
    'Usage: recovery-pbr schema',
    '',
    'Prints the JSON Schema (draft 2020-12) that scheme files follow. Save it next to your scheme',
    'and point "$schema" at it to get completion and checking in your editor:',
    '  recovery-pbr schema > scheme.schema.json',
  ].join('\n'),
  options: {},
  async run(_values, io) {
    io.stdout(JSON.stringify(schemeJsonSchema(), null, 2) + '\n');
    return 0;
  },
};
