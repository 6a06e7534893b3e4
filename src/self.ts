/**
 * The process aitool answers for. Normally aitool itself. A hook spare
 * (hooks/spare.ts) is an aitool started ahead of a commit that answers for the
 * hook script which claims it: from then on "self" is that script's process,
 * so the session's ancestors, the processes never to stop and the git
 * answers on stdin are the script's, exactly as for an aitool the script
 * started itself (whose parent that script is). A spare answers once and
 * exits, so this is set at most once per process.
 */
export interface Client {
  /** The hook script's pid: the parent an aitool it started would have. */
  pid: number;
  /** Its parent (git): protected like aitool's own parent, without a read. */
  ppid: number;
  /** Where its git answers are (hooks/git-input.ts), instead of stdin. */
  gitInputFd: number;
}

let client: Client | undefined;

/** Makes this process answer for the hook script `next` (a spare, once). */
export function answerFor(next: Client): void {
  if (client !== undefined) throw new Error('this process already answers for a hook script');
  client = next;
}

/**
 * Where the parent chain a session check reads starts, and whether that
 * first process is part of the chain: aitool's own pid is not (the chain
 * starts at its parent), a client's pid is (it is that parent).
 */
export function chainOrigin(): { pid: number; includeFirst: boolean } {
  return client ? { pid: client.pid, includeFirst: true } : { pid: process.pid, includeFirst: false };
}

/** The pids that are aitool for termination's rules: its own, and the client's when it has one. */
export function selfPids(): number[] {
  return client ? [process.pid, client.pid] : [process.pid];
}

/**
 * The parents known without reading /proc. A client's, not the spare's own:
 * a spare's parent is whatever adopted it (init, a subreaper), which an
 * aitool the script started would not have protected.
 */
export function knownParents(): number[] {
  return client ? [client.pid, client.ppid] : [process.ppid];
}

/** Whose parent chain is protected from termination: aitool's, or the client's. */
export function chainOwner(): number {
  return client?.pid ?? process.pid;
}

/** The descriptor a hook's git answers are read from: stdin, or the client's answers file. */
export function gitInputFd(): number {
  return client?.gitInputFd ?? 0;
}
