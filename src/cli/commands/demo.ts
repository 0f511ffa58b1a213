import { notYet } from '../command.js';

/** `recovery-pbr demo`. */
export const command = notYet('demo', '(coming)');
