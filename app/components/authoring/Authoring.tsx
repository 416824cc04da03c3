'use client';
// Authoring mode on a thread page: selecting words offers "Add claim" (or says why those words
// cannot be a claim's anchor), the form opens in place after their paragraph, sentences naming
// the modelled kernel vocabulary without a claim are marked faintly, and cards offer Edit and
// Remove. A save re-renders the page from the store: the new card is there without a reload.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useRouter } from 'next/navigation';
import type { ClaimSpec, MessageRef } from '@/lib/claims/types';
import { ClaimForm, type Editing, type FormAnchor, type SavedAnswer } from './ClaimForm';
import { selectionAnchor } from './selection-dom';
import { markCandidates } from './candidates-dom';
import { EDIT_TOKEN_HEADER, storedToken } from './token';
import styles from './form.module.css';

interface AuthoringState {
  on: boolean;
  canSave: boolean;
  toggle(): void;
  /** Opens the form on a claim from its card. */
  edit(key: string, slug: string): void;
  remove(key: string): Promise<string | null>;
}

const AuthoringContext = createContext<AuthoringState | null>(null);

/** The authoring state, or null outside an authoring page (a message permalink). */
export const useAuthoring = () => useContext(AuthoringContext);

const MODE_KEY = 'threadlab-authoring';

type Offer = { at: FormAnchor; block: Element; top: number; left: number } | { reason: string; top: number; left: number };

interface Open { at: FormAnchor; host: HTMLElement; editing?: Editing }

/** The element the form opens after, and the message's own data, for words in `block`. */
function formAnchorOf(block: Element, a: Omit<FormAnchor, 'ref'>): FormAnchor {
  const article = block.closest('article')!;
  return { ...a, ref: JSON.parse(article.getAttribute('data-ref') ?? 'null') as MessageRef ?? { mid: a.archiveId } };
}

/** A host for the form right after `block`, the full width of the message, as a claim's runner opens. */
function hostAfter(block: Element): HTMLElement {
  const host = document.createElement('div');
  host.className = `run-slot ${styles.host}`;
  block.after(host);
  return host;
}

export function AuthoringProvider({ canSave, version, children }: { canSave: boolean; version: string; children: ReactNode }) {
  const router = useRouter();
  const [on, setOn] = useState(false);
  const [offer, setOffer] = useState<Offer | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => setOn(sessionStorage.getItem(MODE_KEY) === 'on'), []);
  const toggle = useCallback(() => setOn((was) => {
    sessionStorage.setItem(MODE_KEY, was ? 'off' : 'on');
    return !was;
  }), []);

  // Selecting words offers a claim on them.
  useEffect(() => {
    if (!on) return setOffer(null);
    let frame = 0;
    const look = () => {
      frame = 0;
      const sel = window.getSelection();
      const messages = root.current?.querySelector('.thread-messages');
      if (!sel || sel.isCollapsed || !messages || !messages.contains(sel.anchorNode) && !messages.contains(sel.focusNode)) return setOffer(null);
      if (root.current?.querySelector('[data-author-form]')?.contains(sel.anchorNode)) return;
      const a = selectionAnchor(sel);
      const r = sel.getRangeAt(0).getBoundingClientRect();
      const place = { top: r.bottom + window.scrollY + 6, left: Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 260)) };
      if (!a.ok) return setOffer(a.reason === 'empty' ? null : { reason: a.message, ...place });
      setOffer({ at: formAnchorOf(a.block, { archiveId: a.archiveId, author: a.author, writer: a.writer, anchor: a.anchor }), block: a.block, ...place });
    };
    const soon = () => { if (!frame) frame = requestAnimationFrame(look); };
    document.addEventListener('selectionchange', soon);
    return () => {
      document.removeEventListener('selectionchange', soon);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [on]);

  // Candidates: marked while authoring, again whenever the page's claims change.
  useEffect(() => {
    const messages = root.current?.querySelector('.thread-messages');
    if (!on || !messages) return;
    const marked = markCandidates(messages);
    return () => marked.clear();
  }, [on, version]);

  const close = useCallback(() => {
    setOpen((o) => {
      o?.host.remove();
      return null;
    });
  }, []);

  const openForm = useCallback((at: FormAnchor, block: Element, editing?: Editing) => {
    close();
    setOffer(null);
    window.getSelection()?.removeAllRanges();
    const host = hostAfter(block);
    setOpen({ at, host, editing });
    requestAnimationFrame(() => host.scrollIntoView({ block: 'nearest' }));
  }, [close]);

  const saved = (s: SavedAnswer) => {
    close();
    const where = `${s.file}${s.scenarioFile ? ` and ${s.scenarioFile}` : ''}`;
    setNotice(`Saved ${s.key} to ${where}; computed verdict: ${s.verdict ?? 'none (it did not anchor)'}${s.disagreement ? ` — you expected ${s.disagreement.expected}` : ''}.`);
    router.refresh();
  };

  const edit = useCallback(async (key: string, slug: string) => {
    const words = document.getElementById(`words-${slug}`);
    const block = words?.closest('details.fold, [data-scope]');
    const article = words?.closest('article');
    if (!words || !block || !article) return setNotice(`The words of ${key} are not on this page.`);
    const r = await fetch(`/authoring/claims?key=${encodeURIComponent(key)}`);
    const spec = await r.json() as ClaimSpec & { error?: string };
    if (!r.ok) return setNotice(`Cannot edit ${key}: ${spec.error}`);
    const host = block.matches('details.fold') ? block : block.closest('details.fold') ?? block;
    const at = formAnchorOf(host, {
      archiveId: article.getAttribute('data-archive-id') ?? '', author: article.getAttribute('data-author') ?? '',
      writer: host.getAttribute('data-writer'), anchor: spec.anchor,
    });
    openForm(at, host, { key, claimant: spec.claimant, kind: spec.kind, statement: spec.statement, tests: spec.tests, untested: spec.untested });
  }, [openForm]);

  const remove = useCallback(async (key: string) => {
    const r = await fetch(`/authoring/claims?key=${encodeURIComponent(key)}`, { method: 'DELETE', headers: { [EDIT_TOKEN_HEADER]: storedToken() } });
    const answer = await r.json().catch(() => ({ error: `${r.status}` }));
    if (!r.ok) return `Not removed (${r.status}): ${answer.error}`;
    setNotice(`Removed ${key} from ${answer.file}${answer.removedFile ? ', which held no other claim and is gone' : ''}.`);
    router.refresh();
    return null;
  }, [router]);

  const value = useMemo<AuthoringState>(() => ({ on, canSave, toggle, edit, remove }), [on, canSave, toggle, edit, remove]);
  return (
    <AuthoringContext.Provider value={value}>
      <div ref={root} className={styles.root} data-authoring={on ? 'on' : 'off'}>
        {children}
      </div>
      {on && offer && createPortal(
        'reason' in offer
          ? <p className={styles.refusal} style={{ top: offer.top, left: offer.left }} role="alert" data-author-refusal>{offer.reason}</p>
          : <button type="button" className={styles.offer} style={{ top: offer.top, left: offer.left }}
            onMouseDown={(e) => e.preventDefault()} onClick={() => openForm(offer.at, offer.block)}>Add claim</button>,
        document.body,
      )}
      {open && createPortal(
        <ClaimForm key={open.editing?.key ?? `${open.at.archiveId}:${open.at.anchor.exact}`} at={open.at} editing={open.editing} canSave={canSave} onClose={close} onSaved={saved} />,
        open.host,
      )}
      {notice && createPortal(<p className={styles.notice} role="status" data-author-notice>{notice} <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss">✕</button></p>, document.body)}
    </AuthoringContext.Provider>
  );
}

/** The switch in the thread's head: authoring mode on or off, for this tab. */
export function AuthoringSwitch() {
  const a = useAuthoring();
  if (!a) return null;
  return (
    <button type="button" className={styles.switch} aria-pressed={a.on} onClick={a.toggle}>
      {a.on ? 'Authoring: on' : 'Add claims'}
    </button>
  );
}
