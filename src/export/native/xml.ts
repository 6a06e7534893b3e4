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

export interface ConfigurationProfile {
  /** The export that wrote it (`santa`, `vscode`), named in the leading comment. */
  exporter: string;
  /** The product whose limits the comments list (`Santa`, `VS Code`). */
  product: string;
  cannotExpress: readonly string[];
  payloadType: string;
  payloadDisplayName: string;
  payloadUuid: string;
  /** The payload's own keys and values, indented for the payload dictionary. */
  payloadLines: readonly string[];
  profileDescription: string;
  profileDisplayName: string;
  profileUuid: string;
  /** Keys of the outer profile dictionary after PayloadIdentifier (PayloadScope) or after PayloadVersion (TargetDeviceType). */
  afterIdentifier?: readonly string[];
  afterVersion?: readonly string[];
}

/** A .mobileconfig holding one payload, with what the product cannot express as comments before the plist. */
export function configurationProfile(profile: ConfigurationProfile): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    xmlComment(`Written by aitool export ${profile.exporter}. What ${profile.product} cannot express of the policy:`),
    ...profile.cannotExpress.map((line) => xmlComment(line)),
    '<plist version="1.0">',
    '\t<dict>',
    '\t\t<key>PayloadContent</key>',
    '\t\t<array>',
    '\t\t\t<dict>',
    '\t\t\t\t<key>PayloadDisplayName</key>',
    `\t\t\t\t<string>${profile.payloadDisplayName}</string>`,
    '\t\t\t\t<key>PayloadIdentifier</key>',
    `\t\t\t\t<string>${profile.payloadType}.${profile.payloadUuid}</string>`,
    '\t\t\t\t<key>PayloadType</key>',
    `\t\t\t\t<string>${profile.payloadType}</string>`,
    '\t\t\t\t<key>PayloadUUID</key>',
    `\t\t\t\t<string>${profile.payloadUuid}</string>`,
    '\t\t\t\t<key>PayloadVersion</key>',
    '\t\t\t\t<integer>1</integer>',
    ...profile.payloadLines,
    '\t\t\t</dict>',
    '\t\t</array>',
    '\t\t<key>PayloadDescription</key>',
    `\t\t<string>${profile.profileDescription}</string>`,
    '\t\t<key>PayloadDisplayName</key>',
    `\t\t<string>${profile.profileDisplayName}</string>`,
    '\t\t<key>PayloadIdentifier</key>',
    `\t\t<string>${profile.payloadType}.aitool</string>`,
    ...(profile.afterIdentifier ?? []),
    '\t\t<key>PayloadType</key>',
    '\t\t<string>Configuration</string>',
    '\t\t<key>PayloadUUID</key>',
    `\t\t<string>${profile.profileUuid}</string>`,
    '\t\t<key>PayloadVersion</key>',
    '\t\t<integer>1</integer>',
    ...(profile.afterVersion ?? []),
    '\t</dict>',
    '</plist>',
    '',
  ].join('\n');
}
