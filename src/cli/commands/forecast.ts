import { notYet } from '../command.js';

/** `recovery-pbr forecast`. */
export const command = notYet('forecast', '(coming)');
