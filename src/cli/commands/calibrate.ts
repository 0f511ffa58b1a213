import { notYet } from '../command.js';

/** `recovery-pbr calibrate`. */
export const command = notYet('calibrate', '(coming)');
