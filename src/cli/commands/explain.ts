import { notYet } from '../command.js';

/** `recovery-pbr explain`. */
export const command = notYet('explain', '(coming)');
