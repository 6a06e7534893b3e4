export const HOSTILE: { hosts: string[]; tools: Array<[string, string]>; files: string[] };

export type Verdict = 'block' | 'warn' | 'allow';

export interface ExpectedMachine {
  host: string;
  tools: Record<string, Verdict>;
  time: number;
  file: string;
  older: string[];
  strictest: Verdict | 'clean';
  stale: boolean;
}

export interface ExpectedFleet {
  files: number;
  machines: Map<string, ExpectedMachine>;
  unusable: Array<{ file: string; reason: string }>;
  partlyRead: string[];
  leftOut: { linksOut: number; otherNames: number };
  byVerdict: Record<Verdict | 'clean', number>;
  toolCounts: Map<string, Record<Verdict, number>>;
  stale: number;
  duplicateCount: number;
}

export function writeFleet(dir: string, options: { count: number; now: number; staleDays?: number; seed?: number; hostile?: boolean }): ExpectedFleet;
