import { notYet } from '../command.js';

/** `recovery-pbr health-premium`. */
export const command = notYet('health-premium', '(coming)');
