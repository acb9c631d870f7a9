// 设置 → 到期提醒通知: the switch. The permission is asked only when the owner turns it on; where the
// browser has no notifications (most in-app web views) or they were refused, the card says so plainly
// and offers the calendar file instead. What the notifications say and when is the core's plan (see
// ../notify.ts); the card shows the next one.
import { h } from '../dom';
import { state } from '../state';
import { nt } from './notify-strings';

type Shown = 'missing' | 'denied' | 'dismissed' | 'unkept' | 'off' | 'closed' | 'on';

/** `2026-11-22T09:00:00` as `2026-11-22 09:00`. */
const when = (at: string) => at.replace('T', ' ').slice(0, 16);

/** The way round notifications: the current company's deadlines as a calendar file, from the 档案
 * screen's 下载日历 (which offers the text to copy where downloads do not work). A link rather than the
 * download itself, so that screen's code stays in its own chunk. */
function calendarOffer(): HTMLElement {
  return h('a', { class: 'btn secondary wide', id: 'notify-ics', href: '#/dossier' },
    nt(state.current ? 'notifyIcs' : 'notifyIcsNoCompany'));
}

export async function notifyCard(): Promise<HTMLElement> {
  // A module of its own, shared with main.ts's check at start (and not a dependency of this screen's
  // chunk, which would make the first screen's bundle list it).
  const { MAX_AT_ONCE, disable, enable, enabled, nextPlanned, support, watch } = await import('../notify');
  const message = h('p', { id: 'notify-state', role: 'status', 'aria-live': 'polite' });
  const next = h('p', { id: 'notify-next', class: 'muted small', hidden: true });
  const offer = h('div', { id: 'notify-offer', class: 'actions', hidden: true }, calendarOffer());
  const toggle = h('input', { type: 'checkbox', id: 'notify', role: 'switch', 'aria-describedby': 'notify-hint notify-state' });
  const card = h('section', { class: 'card', id: 'notify-card', 'aria-labelledby': 'notify-title' },
    h('div', { class: 'toggle' },
      h('label', { for: 'notify' },
        h('span', { class: 'row-title', id: 'notify-title' }, nt('notifyTitle')),
        h('span', { class: 'muted small', id: 'notify-hint' }, nt('notifyHint'))),
      toggle),
    message, next, offer);

  const showNext = (planned: { at: string; title: string } | null) => {
    next.hidden = false;
    next.textContent = planned ? nt('notifyNext', { when: when(planned.at), title: planned.title }) : nt('notifyNothing');
  };

  const draw = (shown: Shown) => {
    card.dataset.state = shown;
    toggle.checked = shown === 'on';
    // Nothing a tap could change: the browser has no notifications, or the owner refused them (only
    // the browser's site settings can undo that; asking again would not even show a prompt).
    toggle.disabled = shown === 'missing' || shown === 'denied';
    const problem = shown === 'missing' || shown === 'denied' || shown === 'dismissed' || shown === 'unkept';
    message.className = problem ? 'warn-box' : shown === 'on' ? 'status ok' : 'muted small';
    message.textContent = nt(
      shown === 'missing' ? 'notifyMissing'
      : shown === 'denied' ? 'notifyDenied'
      : shown === 'dismissed' ? 'notifyDismissed'
      : shown === 'unkept' ? 'notifyUnkept'
      : shown === 'on' ? 'notifyOn'
      : shown === 'closed' ? 'notifyClosed'
      : 'notifyOff', { n: MAX_AT_ONCE });
    offer.hidden = !problem;
    if (shown !== 'on') next.hidden = true;
  };

  toggle.addEventListener('change', async () => {
    if (!toggle.checked) {
      disable();
      draw('closed');
      return;
    }
    toggle.disabled = true;
    const outcome = await enable();
    toggle.disabled = false;
    if (outcome !== 'granted') {
      draw(outcome === 'default' ? 'dismissed' : outcome);
      return;
    }
    draw('on');
    showNext((await watch()).next);
  });

  const now = support();
  if (now === 'missing' || now === 'denied') draw(now);
  else if (now === 'granted' && enabled()) {
    draw('on');
    showNext(nextPlanned());
  } else draw('off');
  return card;
}
