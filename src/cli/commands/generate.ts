import { notYet } from '../command.js';

/** `recovery-pbr generate`. */
export const command = notYet('generate', '(coming)');
