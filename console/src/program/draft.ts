import { useSyncExternalStore } from "react";
import type { ProgramInput } from "../../../domain/program/program-schema";

// The marketer's unsaved program draft, shared by the Program page (which edits it) and the Preview page (which
// compares it with the version in effect). Kept in sessionStorage so a reload or a page change keeps the work.

const KEY = "patron.console.program-draft";
const listeners = new Set<() => void>();

export interface Draft {
  /** The version the draft started from. */
  baseVersion: number;
  program: ProgramInput;
}

let cached: { text: string | null; draft: Draft | undefined } = { text: null, draft: undefined };

export function readDraft(): Draft | undefined {
  const text = sessionStorage.getItem(KEY);
  if (text !== cached.text) cached = { text, draft: text ? (JSON.parse(text) as Draft) : undefined };
  return cached.draft;
}

export function saveDraft(draft: Draft | undefined): void {
  if (draft) sessionStorage.setItem(KEY, JSON.stringify(draft));
  else sessionStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function useDraft(): Draft | undefined {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, readDraft);
}
