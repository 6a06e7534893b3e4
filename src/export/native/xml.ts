/** XML pieces the native exports that write property lists (.mobileconfig) share. */
import { createHash } from 'node:crypto';

export const xmlEscape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `--` may not appear inside an XML comment. */
export const xmlComment = (text: string): string => `<!-- ${xmlEscape(text).replace(/-{2,}/g, (dashes) => dashes.split('').join(' '))} -->`;

/** A stable UUID from the content, so exporting the same policy twice gives the same profile. */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}
