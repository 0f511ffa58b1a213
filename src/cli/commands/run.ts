import { notYet } from '../command.js';

/** `recovery-pbr run`. */
export const command = notYet('run', '(coming)');
