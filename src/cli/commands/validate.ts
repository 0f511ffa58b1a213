import { notYet } from '../command.js';

/** `recovery-pbr validate`. */
export const command = notYet('validate', '(coming)');
