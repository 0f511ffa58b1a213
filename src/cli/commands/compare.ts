import { notYet } from '../command.js';

/** `recovery-pbr compare`. */
export const command = notYet('compare', '(coming)');
