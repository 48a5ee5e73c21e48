/**
 * /proc readings used by leak checks.
 *
 * @packageDocumentation
 */
import { readdirSync } from 'node:fs';

/**
 * Number of open file descriptors of this process.
 *
 * @returns entries in /proc/self/fd (minus the one readdir itself uses)
 * @public
 */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length - 1;
}
