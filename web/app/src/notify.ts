// 到期提醒通知 in the browser. The core plans the notifications (`dynamics.notifications`: which items, at
// what time, with what title and text); the phones hand that plan to the OS scheduler. A web page has no
// such scheduler it can rely on — nothing runs while the app is closed — so this is the honest version:
// the plan is kept on this device, and whenever the app is opened or comes back to the front, the planned
// notifications whose time has passed, that were not shown before and whose item is still on its
// company's list are shown, at most a few. No background push.
//
// Loaded lazily: by the settings screen (the switch) and, after the first screen, by main.ts when the
// owner has switched the notifications on. Everything kept is in localStorage; where that is missing or
// refuses, nothing is shown (never the same notification twice).
import { call } from './rpc';
// The core's type is named like the DOM's Notification: renamed here.
import type { Notification as PlannedNotification } from 'zhuanshu-wasm';

/** What the browser offers: no Notification API (most in-app web views: WeChat, iOS Safari outside a
 * home-screen web app), or the permission's state. */
export type Support = 'missing' | NotificationPermission;

/** At most this many notifications at one opening; the rest are on 首页 anyway. */
export const MAX_AT_ONCE = 3;
/** Shown marks are kept this long after their time (the plan is replaced at every check, so a mark is
 * only needed while an old plan could still hold its notification). */
const KEEP_MARKS_MS = 45 * 24 * 3600 * 1000;

/** 'on' once the owner switched them on (main.ts reads it at start, before loading this module). */
const ON = 'zs.notify';
const PLAN = 'zs.notify.plan';
const SHOWN = 'zs.notify.shown';

/** The part of a planned notification kept until its time. */
type Kept = Pick<PlannedNotification, 'id' | 'dynamic_id' | 'uscc' | 'company_name' | 'at' | 'timestamp' | 'title' | 'body' | 'important'>;

export function support(): Support {
  return typeof window.Notification === 'function' ? Notification.permission : 'missing';
}

function read(key: string): string | null {
  return localStorage.getItem(key);
}

/** Writes and reads back: a store that silently drops writes (a full or wiped storage) counts as a
 * failure. */
function write(key: string, value: string): boolean {
  try {
    localStorage.setItem(key, value);
    return localStorage.getItem(key) === value;
  } catch {
    return false;
  }
}

export function enabled(): boolean {
  try {
    return read(ON) === 'on';
  } catch {
    return false;
  }
}

/** The planning clock's now (ms): `?now=` (Asia/Shanghai, as the worker's clock reads it) when the page
 * has one, else the device's. */
function now(): number {
  const fixed = new URLSearchParams(location.search).get('now');
  const at = fixed ? Date.parse(`${fixed}+08:00`) : NaN;
  return Number.isNaN(at) ? Date.now() : at;
}

/** One mark per notification and time: a notification the core moves to another time is a new one. */
const markKey = (n: Kept) => `${n.id}@${n.timestamp}`;

function keptPlan(): Kept[] | null {
  try {
    const text = read(PLAN);
    const plan: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(plan) ? (plan as Kept[]) : [];
  } catch {
    return null;
  }
}

function shownMarks(): Record<string, number> | null {
  try {
    const text = read(SHOWN);
    const marks: unknown = text ? JSON.parse(text) : {};
    return marks && typeof marks === 'object' && !Array.isArray(marks) ? (marks as Record<string, number>) : {};
  } catch {
    return null;
  }
}

async function show(n: Kept): Promise<void> {
  const options: NotificationOptions = {
    // Which company: the same filing of two companies has the same title.
    body: `${n.company_name}\n${n.body}`,
    // The core's id: the same notification from two tabs replaces instead of doubling.
    tag: n.id,
    lang: 'zh-CN',
    requireInteraction: n.important,
    data: { uscc: n.uscc, id: n.dynamic_id },
  };
  // Android Chrome only shows notifications through a service worker (`new Notification` throws there).
  const registration = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration().catch(() => undefined) : undefined;
  if (registration?.active) {
    await registration.showNotification(n.title, options);
    return;
  }
  const shown = new Notification(n.title, options);
  shown.onclick = () => {
    window.focus();
    location.hash = '#/';
    shown.close();
  };
}

/** The next notification of the plan kept here (null when none, or nothing can be read). */
export function nextPlanned(): Kept | null {
  const at = now();
  return keptPlan()?.find((n) => n.timestamp * 1000 > at) ?? null;
}

export interface Checked {
  /** How many were shown now. */
  shown: number;
  /** The next planned notification, if any. */
  next: Kept | null;
}

/** Shows what is due (see the file's head), then keeps the core's fresh plan for next time. */
async function checkNow(): Promise<Checked> {
  const result: Checked = { shown: 0, next: null };
  if (!enabled() || support() !== 'granted') return result;
  const plan = keptPlan();
  const marks = shownMarks();
  if (!plan || !marks) return result;
  const at = now();
  const due = plan.filter((n) => n.timestamp * 1000 <= at && !(markKey(n) in marks));

  if (due.length > 0) {
    // Only items still on their company's list today: done, dismissed or snoozed since the plan was kept
    // means no notification (the phones cancel those when they plan again).
    const open = new Map<string, Set<string>>();
    for (const uscc of new Set(due.map((n) => n.uscc))) {
      try {
        open.set(uscc, new Set((await call('dynamics.list', uscc)).map((d) => d.id)));
      } catch {
        open.set(uscc, new Set()); // the company is gone
      }
    }
    // The latest first (the core's order, most serious first, among those at the same time).
    const chosen = due
      .filter((n) => open.get(n.uscc)?.has(n.dynamic_id))
      .map((n, i) => ({ n, i }))
      .sort((a, b) => b.n.timestamp - a.n.timestamp || a.i - b.i)
      .slice(0, MAX_AT_ONCE)
      .map((x) => x.n);
    // Everything due is settled now, shown or not; marked before showing, so a storage that cannot keep
    // the marks shows nothing rather than the same notifications at every opening.
    for (const n of due) marks[markKey(n)] = n.timestamp;
    if (!write(SHOWN, JSON.stringify(marks))) return result;
    const failed: Kept[] = [];
    for (const n of chosen) {
      try {
        await show(n);
        result.shown++;
      } catch (e) {
        console.warn('notification not shown', e);
        failed.push(n);
      }
    }
    if (failed.length > 0) {
      for (const n of failed) delete marks[markKey(n)];
      write(SHOWN, JSON.stringify(marks));
    }
  }

  const fresh = (await call('dynamics.notifications', null, null)).map(
    ({ id, dynamic_id, uscc, company_name, at: time, timestamp, title, body, important }): Kept =>
      ({ id, dynamic_id, uscc, company_name, at: time, timestamp, title, body, important }));
  write(PLAN, JSON.stringify(fresh));
  for (const [key, time] of Object.entries(marks)) {
    if (typeof time !== 'number' || time * 1000 < at - KEEP_MARKS_MS) delete marks[key];
  }
  write(SHOWN, JSON.stringify(marks));
  result.next = fresh[0] ?? null;
  return result;
}

let running: Promise<Checked> | null = null;

/** One check at a time (opening and coming back to the front can overlap). The page's
 * `data-notify="checked"` says a check has finished, with `data-notify-shown` its count. */
export function check(): Promise<Checked> {
  const previous = running ?? Promise.resolve(null);
  const next = previous.then(() => checkNow()).catch((e): Checked => {
    console.warn('notifications', e);
    return { shown: 0, next: null };
  });
  running = next;
  void next.then((r) => {
    document.documentElement.dataset.notify = 'checked';
    document.documentElement.dataset.notifyShown = String(r.shown);
  });
  return next;
}

let watching = false;

/** Checks now, and whenever the app comes back to the front. */
export function watch(): Promise<Checked> {
  if (!watching) {
    watching = true;
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void check();
    });
  }
  return check();
}

/** The switch turned on, on the owner's tap: asks for the permission only if the browser has not been
 * asked yet (a denial stands until the owner changes it in the browser's site settings). Resolves to
 * the permission as it now stands, or `unkept` when it is granted but this device cannot keep the
 * setting (storage refused). */
export async function enable(): Promise<Support | 'unkept'> {
  let state = support();
  if (state === 'default') {
    state = await new Promise<NotificationPermission>((resolve) => {
      try {
        // Older Safari takes a callback and returns nothing.
        const asked = Notification.requestPermission(resolve);
        if (asked) asked.then(resolve, () => resolve(Notification.permission));
      } catch {
        resolve(Notification.permission);
      }
    });
  }
  if (state !== 'granted') return state;
  return write(ON, 'on') ? state : 'unkept';
}

export function disable() {
  try {
    localStorage.removeItem(ON);
    localStorage.removeItem(PLAN);
  } catch {
    // Nothing kept, nothing shown.
  }
}
