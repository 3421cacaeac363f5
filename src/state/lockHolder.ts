// Who takes a lock, in the words every store records and every lock message prints: an ID, the user,
// host and process, the operation and since when. Shared by the stores so that a holder reads the
// same whichever store it holds.
import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";
import type { LockInfo } from "./stateStore.js";

export function whoAmI(): string {
  let user = process.env.USER ?? "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's USER will do.
  }
  return `${user}@${hostname()} pid ${process.pid}`;
}

export function newLockInfo(operation: string): LockInfo {
  return { id: randomUUID(), who: whoAmI(), operation, created: new Date().toISOString(), host: hostname(), pid: process.pid };
}

/** True only when the holder ran on this host and its process is gone; a holder elsewhere may be alive. */
export function isHolderDeadOnThisHost(holder: LockInfo): boolean {
  if (holder.host !== hostname() || holder.pid === undefined) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
