import { notYet } from '../command.js';

/** `recovery-pbr schema`. */
export const command = notYet('schema', '(coming)');
